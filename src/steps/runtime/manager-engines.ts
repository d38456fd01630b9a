// The node a repository's package manager release needs. `packageManager: pnpm@11.15.1` is run
// through corepack, which runs that pnpm in its own node process: pnpm 11 needs node >= 22.13
// and dies on node 20 (`No such built-in module: node:sqlite`) before installing anything. The
// truth is the release's own `engines.node`, in the package document of the registry corepack
// downloads it from (COREPACK_NPM_REGISTRY, else npm_config_registry, else registry.npmjs.org),
// so that is what is read, not a table of "pnpm N needs node M" that would drift.
// The answer is cached (registry-engines.ts); one that cannot be had is no requirement: corepack
// itself then needs the same registry and says so.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { releaseNodeRange } from './registry-engines.js'

export interface PackageManagerPin {
  /** As package.json names it: `pnpm@11.15.1`. */
  release: string
  /** The package corepack downloads it as: pnpm, yarn (1.x) or @yarnpkg/cli-dist (2+). */
  pkg: string
  version: string
  /** `package.json:6`, relative to the repository root. */
  where: string
}

/** `packageManager` of the package.json in `cwd`, else at the root, for the managers corepack runs. */
export async function packageManagerPin(cwd: string, root: string): Promise<PackageManagerPin | undefined> {
  for (const dir of cwd === root ? [root] : [cwd, root]) {
    const file = path.join(dir, 'package.json')
    const text = await readFile(file, 'utf8').catch(() => undefined)
    if (text === undefined) continue
    let value: unknown
    try {
      value = (JSON.parse(text) as { packageManager?: unknown }).packageManager
    } catch {
      continue // A broken package.json is the dependencies step's to report.
    }
    if (typeof value !== 'string') continue
    // `pnpm@11.15.1+sha512.…`: the hash is corepack's to verify.
    const match = /^(pnpm|yarn)@(\d+\.\d+\.\d+[\w.-]*)(?:\+.*)?$/.exec(value.trim())
    if (!match) return undefined
    const [, name, version] = match as unknown as [string, string, string]
    const pkg = name === 'yarn' && !version.startsWith('1.') ? '@yarnpkg/cli-dist' : name
    const line = text.split('\n').findIndex((l) => l.includes('"packageManager"')) + 1
    return { release: `${name}@${version}`, pkg, version, where: `${path.relative(root, file)}:${line}` }
  }
  return undefined
}

/** The registry corepack downloads package managers from, as corepack picks it. */
export function corepackRegistry(env: Record<string, string | undefined>): string {
  const url = env.COREPACK_NPM_REGISTRY || env.npm_config_registry || 'https://registry.npmjs.org'
  return url.replace(/\/+$/, '')
}

/**
 * The release's `engines.node` ("" when it has none), or undefined when the registry cannot
 * be asked. From the cache when an earlier run asked.
 */
export async function managerNodeRange(pin: PackageManagerPin, env: Record<string, string>) {
  const node = await releaseNodeRange(corepackRegistry(env), pin, env)
  return node === 'missing' || node === 'offline' ? undefined : node
}
