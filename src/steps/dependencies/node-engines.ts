// The Node a project's dependencies say they need: each package's own `engines.node`, as the
// lockfile records it (package-lock.json v2/v3 `packages[*].engines`, pnpm-lock's `engines`) or
// as the installed package.json says (node_modules/*). An app's own `engines` can be looser than
// what it installs: NodeBB says `>=20`, its undici 8 needs `>=22.19` and dies on Node 20 at boot.
// yarn.lock (classic and Berry) keeps no engines, so a yarn project is read from node_modules.
//
// Optional packages are left out: a package manager leaves out an optional dependency it cannot
// use (npm, pnpm, yarn all skip it and go on), so its engines never stop the app. Dev
// dependencies count: a development setup installs and runs them (the build, the watcher).
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import semver from 'semver'
import YAML from 'yaml'
import { lowestSatisfyingAll } from './lowest-node.js'

export { lowestSatisfyingAll }

export interface NodeNeed {
  /** `undici@8.1.0` */
  pkg: string
  /** The package's `engines.node`, a valid semver range. */
  range: string
  /** Where it was read: `package-lock.json`, `node_modules/undici/package.json`. */
  where: string
}

const nodeRange = (engines: unknown): string | undefined => {
  const range = (engines as { node?: unknown } | undefined)?.node
  return typeof range === 'string' && semver.validRange(range) !== null ? range : undefined
}

/** package-lock.json v2/v3: every package it installs, with its engines (the root is the app's own). */
export function needsInPackageLock(text: string, where = 'package-lock.json'): NodeNeed[] {
  let lock: { packages?: Record<string, Record<string, unknown>> }
  try {
    lock = JSON.parse(text)
  } catch {
    return []
  }
  const needs: NodeNeed[] = []
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (key === '' || entry.optional === true) continue
    const range = nodeRange(entry.engines)
    if (!range) continue
    // `node_modules/@s/b`, or a workspace's own folder (`packages/api`) when it has no name.
    const at = key.lastIndexOf('node_modules/')
    const name = (entry.name as string | undefined) ?? (at < 0 ? key : key.slice(at + 13))
    needs.push({ pkg: `${name}@${entry.version ?? '?'}`, range, where })
  }
  return needs
}

/** pnpm-lock.yaml (v6: `/name@1.0.0`, v9: `name@1.0.0`): `packages.<id>.engines`. */
export function needsInPnpmLock(text: string, where = 'pnpm-lock.yaml'): NodeNeed[] {
  let lock: { packages?: Record<string, Record<string, unknown>>; snapshots?: Record<string, unknown> }
  try {
    lock = YAML.parse(text, { maxAliasCount: -1 }) ?? {}
  } catch {
    return []
  }
  const needs: NodeNeed[] = []
  for (const [id, entry] of Object.entries(lock.packages ?? {})) {
    // v6 marks it on the package; v9 on each snapshot of it (all optional: left out).
    const snapshots = Object.entries(lock.snapshots ?? {}).filter(([s]) => s === id || s.startsWith(`${id}(`))
    const optional =
      entry?.optional === true ||
      (snapshots.length > 0 && snapshots.every(([, s]) => (s as { optional?: boolean })?.optional === true))
    const range = nodeRange(entry?.engines)
    if (optional || !range) continue
    needs.push({ pkg: id.replace(/^\//, '').replace(/\(.*$/, ''), range, where })
  }
  return needs
}

/** More packages than any app installs at the top of node_modules: a bound, not a limit met. */
const maxInstalled = 5000

/** The installed top-level packages (node_modules/<name>, node_modules/@scope/<name>) that name engines.node. */
export async function installedNeeds(dir: string): Promise<NodeNeed[]> {
  const modules = path.join(dir, 'node_modules')
  const top = await readdir(modules).catch(() => [] as string[])
  const names: string[] = []
  for (const name of top) {
    if (name.startsWith('.')) continue
    if (!name.startsWith('@')) names.push(name)
    else
      for (const sub of await readdir(path.join(modules, name)).catch(() => [])) names.push(`${name}/${sub}`)
    if (names.length >= maxInstalled) break
  }
  // An optional dependency whose engines refuse this Node is one the app runs without (yarn 1
  // hoists watchpack-chokidar2, `node <8.10`, for watchpack, which falls back when it fails to
  // load): no reason to advise another Node. Known as optional when a package names it under
  // `optionalDependencies` and the app itself does not depend on it.
  const optional = new Set<string>()
  const read = await Promise.all(
    names.slice(0, maxInstalled).map(async (name): Promise<(NodeNeed & { name: string }) | undefined> => {
      const file = path.join(modules, name, 'package.json')
      const text = await readFile(file, 'utf8').catch(() => undefined)
      if (!text) return undefined
      try {
        const pkg = JSON.parse(text) as {
          version?: string
          engines?: unknown
          optionalDependencies?: unknown
        }
        for (const dep of Object.keys(asRecord(pkg.optionalDependencies))) optional.add(dep)
        const range = nodeRange(pkg.engines)
        const where = path.relative(dir, file)
        return range ? { pkg: `${name}@${pkg.version ?? '?'}`, range, where, name } : undefined
      } catch {
        return undefined
      }
    }),
  )
  const own = await readFile(path.join(dir, 'package.json'), 'utf8')
    .then((text) => JSON.parse(text) as Record<string, unknown>)
    .catch(() => ({}) as Record<string, unknown>)
  const direct = new Set([
    ...Object.keys(asRecord(own.dependencies)),
    ...Object.keys(asRecord(own.devDependencies)),
  ])
  return read
    .filter((n): n is NodeNeed & { name: string } => n !== undefined)
    .filter((n) => direct.has(n.name) || !optional.has(n.name))
    .map(({ name: _, ...need }) => need)
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}

/** The needs `version` does not satisfy, the strictest (highest lowest version) first. */
export function refusing(needs: NodeNeed[], version: string): NodeNeed[] {
  const clean = semver.coerce(version)?.version ?? version
  return needs
    .filter((n) => !semver.satisfies(clean, n.range))
    .sort((a, b) => semver.compare(lowestOf(b.range), lowestOf(a.range)))
}

const lowestOf = (range: string) => semver.minVersion(range)?.version ?? '0.0.0'

/** `undici@8.1.0 needs node >=22.19.0 (package-lock.json)` */
export const describeNeed = (n: NodeNeed) => `${n.pkg} needs node ${n.range} (${n.where})`

export interface Refusal {
  /** `undici@8.1.0 needs node >=22.19.0 (node_modules/undici/package.json) (and 2 more); this is node 20.20.2` */
  text: string
  /** The version for the runtime step: the lowest every installed package accepts, as `>=X`. */
  wanted: string
}

/** What the packages installed in `dir` refuse about node `version`; undefined when none refuses it. */
export async function installedRefusal(dir: string, version: string): Promise<Refusal | undefined> {
  const needs = await installedNeeds(dir)
  const refused = refusing(needs, version)
  if (refused.length === 0) return undefined
  const lowest = lowestSatisfyingAll(needs.map((n) => n.range))
  const more = refused.length > 1 ? ` (and ${refused.length - 1} more)` : ''
  return {
    text: `${describeNeed(refused[0]!)}${more}; this is node ${version}`,
    wanted: lowest ? `>=${lowest}` : refused[0]!.range,
  }
}
