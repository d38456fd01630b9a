// The Node version a repository's lockfile says its dependencies need, for init's runtime step.
// The app's own pin (.nvmrc, engines) can be looser than a dependency it installs (NodeBB:
// engines `>=20`, undici 8 `>=22.19`): the runtime step then gets the lowest version that every
// one of them accepts, with the package that asks for it in the step's why. A lockfile with no
// engines (yarn.lock) gives nothing here; the dependencies step reads node_modules after the
// install instead (src/steps/dependencies/node-engines.ts).
import semver from 'semver'
import {
  lowestSatisfyingAll,
  type NodeNeed,
  needsInPackageLock,
  needsInPnpmLock,
} from '../steps/dependencies/node-engines.js'
import type { RepoProbe } from './repo.js'

export interface LockfileNode {
  /** The version for the runtime step, or undefined when the pin and a dependency cannot both hold. */
  version: string | undefined
  why: string
}

/** What the repository's own files pin for node, as a range (undefined: none, or not readable as one). */
function ownRange(repo: RepoProbe): { range: string; from: string } | 'unreadable' | undefined {
  for (const file of ['.nvmrc', '.node-version']) {
    const value = repo.read(file)?.split('\n')[0]?.trim().replace(/^v/, '')
    if (value === undefined) continue
    return semver.validRange(value) ? { range: value, from: file } : 'unreadable'
  }
  if (['.tool-versions', 'mise.toml', '.mise.toml'].some((f) => /\bnode(js)?\b/.test(repo.read(f) ?? '')))
    return 'unreadable'
  const pkg = repo.json('package.json') as { volta?: { node?: unknown }; engines?: { node?: unknown } }
  for (const [value, from] of [
    [pkg?.volta?.node, 'package.json volta.node'],
    [pkg?.engines?.node, 'package.json engines.node'],
  ] as const)
    if (typeof value === 'string' && semver.validRange(value)) return { range: value, from }
  return undefined
}

function lockfileNeeds(repo: RepoProbe): NodeNeed[] {
  const npm = repo.read('package-lock.json')
  if (npm) return needsInPackageLock(npm)
  const pnpm = repo.read('pnpm-lock.yaml')
  return pnpm ? needsInPnpmLock(pnpm) : []
}

/** The node the lockfile's dependencies need beyond the repository's own pin; undefined when none do. */
export function lockfileNode(repo: RepoProbe): LockfileNode | undefined {
  const own = ownRange(repo)
  if (own === 'unreadable') return undefined
  const floor = own ? (semver.minVersion(own.range)?.version ?? '0.0.0') : '0.0.0'
  // Only a dependency asking more than the pin's own lowest version changes anything.
  const stricter = lockfileNeeds(repo).filter(
    (n) =>
      semver.gt(semver.minVersion(n.range)?.version ?? '0.0.0', floor) ||
      !semver.intersects(n.range, own?.range ?? '*'),
  )
  if (stricter.length === 0) return undefined
  const ranges = [...(own ? [own.range] : []), ...stricter.map((n) => n.range)]
  const lowest = lowestSatisfyingAll(ranges)
  const strictest = stricter.sort((a, b) =>
    semver.compare(semver.minVersion(b.range)!, semver.minVersion(a.range)!),
  )[0]!
  const more = stricter.length > 1 ? ` (and ${stricter.length - 1} more)` : ''
  const named = `${strictest.where}: ${strictest.pkg} engines.node ${strictest.range}${more}`
  if (!lowest)
    return {
      version: undefined,
      why: `${named}, which ${own!.from} (${own!.range}) does not allow: no node satisfies both`,
    }
  const atLeast = `>=${lowest}`
  // The pin's upper bounds stay: the floor applies to each of its lines (`^18 || ^20` with
  // `>=18.17` → `>=18.17.0 ^18 || ^20`), a line wholly below it dropped; `>=` alone when it has none.
  const version =
    !own || semver.subset(atLeast, own.range)
      ? atLeast
      : own.range
          .split('||')
          .map((line) => line.trim())
          .filter((line) => semver.intersects(atLeast, line))
          .map((line) => (semver.subset(line, atLeast) ? line : `${atLeast} ${line}`))
          .join(' || ')
  return {
    version,
    why: `${named}${own ? ` (${own.from} ${own.range})` : ''}: node ${version}, the lowest all accept`,
  }
}
