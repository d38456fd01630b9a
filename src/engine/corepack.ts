// corepack is a node script (`#!/usr/bin/env node`): started as `corepack`, it runs on whichever
// node is first on PATH. After the runtime step put an older node there (a repository's .nvmrc
// says 16.7), the machine's corepack dies in it ("TypeError: Object.hasOwn is not a function").
// So it is run with the node it was installed with: the node beside the `corepack` found on
// PATH, else the node of the prefix its package lives in (<prefix>/lib/node_modules/corepack/
// dist/corepack.js → <prefix>/bin/node), as an official Node release lays them out. Files only.
// But only for a node on PATH older than corepack supports: corepack runs the package manager
// inside its own process, so under a newer node (the runtime step's node 24, which
// `packageManager: pnpm@11` needs) that node must run it, or pnpm dies in corepack's node 20
// (`No such built-in module: node:sqlite`). "Older" is the lowest version corepack's own
// engines.node names: read from its package.json, compared with what the node on PATH says.
import { execFile } from 'node:child_process'
import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
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

/** `[major, minor, patch]` of the lowest node corepack's package.json accepts (files only). */
export async function corepackMinimumNode(script: string): Promise<number[] | undefined> {
  const manifest = path.resolve(path.dirname(script), '..', 'package.json')
  const text = await readFile(manifest, 'utf8').catch(() => '')
  let range: unknown
  try {
    range = (JSON.parse(text) as { engines?: { node?: unknown } }).engines?.node
  } catch {
    return undefined
  }
  const lowest = typeof range === 'string' ? /(\d+)\.(\d+)\.(\d+)/.exec(range) : null
  return lowest ? lowest.slice(1).map(Number) : undefined
}

/** A JS expression: exit 0 when the node running it is at least `version`. */
export const nodeAtLeast = (version: number[]) =>
  `const h=process.versions.node.split(".").map(Number),w=[${version.join(',')}];` +
  'process.exit((h[0]-w[0]||h[1]-w[1]||h[2]-w[2])>=0?0:1)'

/**
 * What launches the corepack on PATH when `node` on PATH is another than its own: its own node
 * while the one on PATH is older than corepack supports, else undefined (plain `corepack`).
 */
export async function corepackForPathNode(env: Record<string, string>): Promise<string[] | undefined> {
  const own = await corepackWithItsNode(env)
  const onPath = await findOnPath('node', env)
  if (!own || !onPath) return own
  const minimum = await corepackMinimumNode(own[1]!)
  if (!minimum) return own
  return (await nodeSupports(onPath, minimum)) ? undefined : own
}

// Asked once per node and minimum in a run: every step's shims ask again (shims.ts), and each
// answer is a node process started (~40 ms), which a no-op run must not pay per step.
const supportsByNode = new Map<string, Promise<boolean>>()

function nodeSupports(node: string, minimum: number[]): Promise<boolean> {
  const key = `${node}\0${minimum.join('.')}`
  let answer = supportsByNode.get(key)
  if (!answer) {
    answer = promisify(execFile)(node, ['-e', nodeAtLeast(minimum)], { timeout: 10_000 }).then(
      () => true,
      () => false,
    )
    supportsByNode.set(key, answer)
  }
  return answer
}
