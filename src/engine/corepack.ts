// corepack is a node script (`#!/usr/bin/env node`): started as `corepack`, it runs on whichever
// node is first on PATH. After the runtime step put an older node there (a repository's .nvmrc
// says 16.7), the machine's corepack dies in it ("TypeError: Object.hasOwn is not a function").
// So it is run with the node it was installed with: the node beside the `corepack` found on
// PATH, else the node of the prefix its package lives in (<prefix>/lib/node_modules/corepack/
// dist/corepack.js → <prefix>/bin/node), as an official Node release lays them out. Files only.
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { findOnPath, isExecutableFile } from './which.js'

/** `[node, corepack.js]` running the corepack on `env`'s PATH with its own node, or undefined. */
export async function corepackWithItsNode(env: Record<string, string>): Promise<string[] | undefined> {
  const found = await findOnPath('corepack', env)
  if (!found) return undefined
  const script = await realpath(found).catch(() => undefined)
  // A version manager's shim (mise, asdf) resolves to the manager itself: it picks its own node.
  if (!script || path.basename(path.dirname(path.dirname(script))) !== 'corepack') return undefined
  const prefix = path.resolve(path.dirname(script), '..', '..', '..', '..')
  for (const node of [path.join(path.dirname(found), 'node'), path.join(prefix, 'bin', 'node')]) {
    if (await isExecutableFile(node)) return [node, script]
  }
  return undefined
}
