// corepack is a node script (`#!/usr/bin/env node`): started as `corepack`, it runs on whichever
// node is first on PATH. After the runtime step put an older node there (a repository's .nvmrc
// says 16.7), the machine's corepack dies in it ("TypeError: Object.hasOwn is not a function").
// So it is run with the node it was installed with: the node beside the `corepack` found on
// PATH, else the node of the prefix its package lives in (<prefix>/lib/node_modules/corepack/
// dist/corepack.js → <prefix>/bin/node), as an official Node release lays them out.
// But only for an OLDER node on PATH: corepack runs the package manager inside its own process,
// so under a newer one (the runtime step's node 22, which `packageManager: pnpm@11` needs) the
// newer node must run it, or pnpm dies in corepack's node 20 (`No such built-in module:
// node:sqlite`). Which is older is asked of the two nodes themselves, once per binary.
import { execFile } from 'node:child_process'
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { findOnPath, isExecutableFile } from './which.js'

const versions = new Map<string, Promise<number[] | undefined>>()

/** `[major, minor, patch]` of a node binary, by running it (cached per binary). */
function nodeVersion(node: string): Promise<number[] | undefined> {
  let known = versions.get(node)
  if (!known) {
    known = promisify(execFile)(node, ['-p', 'process.versions.node'], { timeout: 10_000 })
      .then(({ stdout }) => stdout.trim().split('.').map(Number))
      .catch(() => undefined)
    versions.set(node, known)
  }
  return known
}

/** Whether node `a` is older than node `b`; unknown counts as older (the old, safe route). */
async function olderNode(a: string, b: string): Promise<boolean> {
  const [va, vb] = await Promise.all([nodeVersion(a), nodeVersion(b)])
  if (!va || !vb) return true
  const i = va.findIndex((n, k) => n !== vb[k])
  return i >= 0 && va[i]! < vb[i]!
}

/**
 * `[node, corepack.js]` running the corepack on `env`'s PATH with its own node, or undefined when
 * plain `corepack` is right: the node on PATH is its own, or newer, or corepack is a shim.
 */
export async function corepackWithItsNode(env: Record<string, string>): Promise<string[] | undefined> {
  const found = await findOnPath('corepack', env)
  if (!found) return undefined
  const script = await realpath(found).catch(() => undefined)
  // A version manager's shim (mise, asdf) resolves to the manager itself: it picks its own node.
  if (!script || path.basename(path.dirname(path.dirname(script))) !== 'corepack') return undefined
  const prefix = path.resolve(path.dirname(script), '..', '..', '..', '..')
  for (const node of [path.join(path.dirname(found), 'node'), path.join(prefix, 'bin', 'node')]) {
    if (!(await isExecutableFile(node))) continue
    const onPath = await findOnPath('node', env)
    const same =
      onPath && (await realpath(onPath).catch(() => onPath)) === (await realpath(node).catch(() => node))
    if (onPath && (same || !(await olderNode(onPath, node)))) return undefined
    return [node, script]
  }
  return undefined
}
