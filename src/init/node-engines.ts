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

/**
 * The node the lockfile's dependencies need beyond the repository's own pin; undefined when none do.
 * The range written is the intersection of the pin and every dependency's engines.node, upper
 * limits included (better-sqlite3's `20.x || … || 25.x` with a `>=24` pin is `24.x || 25.x`), so
 * the runtime step never picks a node (26) a dependency refuses.
 */
export function lockfileNode(repo: RepoProbe): LockfileNode | undefined {
  const own = ownRange(repo)
  if (own === 'unreadable') return undefined
  let range = own?.range ?? '*'
  const narrowing: NodeNeed[] = []
  for (const need of lockfileNeeds(repo)) {
    if (semver.subset(range, need.range)) continue
    const both = intersect(range, need.range)
    if (!both) {
      const others = [...(own ? [`${own.from} (${own.range})`] : []), ...narrowing.map((n) => n.pkg)]
      return {
        version: undefined,
        why: `${need.where}: ${need.pkg} engines.node ${need.range}, which ${others.join(' with ')} does not allow: no node satisfies all`,
      }
    }
    range = both
    narrowing.push(need)
  }
  if (narrowing.length === 0) return undefined
  // Named in the why: the dependencies whose limit the range would lose without them (eslint's
  // `^20.9 || >=21.1` narrowed `>=20` on the way, but undici's `>=22.19` alone gives the result).
  const binding = narrowing.filter((n) => {
    const without = narrowing
      .filter((o) => o !== n)
      .reduce<string | undefined>((r, o) => r && intersect(r, o.range), own?.range ?? '*')
    return !without || !semver.subset(without, range)
  })
  const cited = binding.length > 0 ? binding : narrowing
  const lowest = lowestSatisfyingAll([range])
  const strictest = [...cited].sort((a, b) =>
    semver.compare(semver.minVersion(b.range)!, semver.minVersion(a.range)!),
  )[0]!
  const more =
    cited.length > 1
      ? ` (and ${cited.length - 1} more: ${cited
          .filter((n) => n !== strictest)
          .map((n) => `${n.pkg} ${n.range}`)
          .slice(0, 2)
          .join(', ')}${cited.length > 3 ? ', …' : ''})`
      : ''
  const named = `${strictest.where}: ${strictest.pkg} engines.node ${strictest.range}${more}`
  return {
    version: range,
    why: `${named}${own ? ` (${own.from} ${own.range})` : ''}: node ${range}, the range all accept${lowest ? ` (lowest ${lowest})` : ''}`,
  }
}

/**
 * `a` and `b` as one range: each pair of their `||` lines that some version satisfies, the
 * narrower line alone when one holds the other (`>=24` and `24.x` → `24.x`); undefined when none.
 */
function intersect(a: string, b: string): string | undefined {
  const lines = (r: string) => r.split('||').map((l) => l.trim() || '*')
  const both: string[] = []
  for (const x of lines(a))
    for (const y of lines(b)) {
      if (!semver.intersects(x, y)) continue
      const line = semver.subset(x, y) ? x : semver.subset(y, x) ? y : `${y} ${x}`
      if (both.some((kept) => semver.subset(line, kept))) continue
      // A line that holds an earlier one replaces it.
      both.splice(0, both.length, ...both.filter((kept) => !semver.subset(kept, line)), line)
    }
  return both.length > 0 ? both.join(' || ') : undefined
}
