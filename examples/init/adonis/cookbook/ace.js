// The ace entry point (AdonisJS 6).
import 'ts-node-maintained/register/esm'
await import('./bin/console.js')
