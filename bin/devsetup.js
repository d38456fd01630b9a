#!/usr/bin/env node
// Node >= 22.1 can keep the compiled bundle on disk between runs (module.enableCompileCache);
// Node 20 has no such cache, hence the optional call. Then the CLI itself, dist/cli.js.
import module from 'node:module'

module.enableCompileCache?.()
await import('../dist/cli.js')
