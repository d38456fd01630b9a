// The lowest node version a set of engines ranges all accept. Apart from node-engines.ts (which
// reads lockfiles with yaml) so the runtime step's check, on the no-op path, loads only semver.
import semver from 'semver'

/**
 * The lowest version every range accepts, or undefined when none does. It is the lower bound of
 * one of the ranges' alternatives, so those are the only candidates to try.
 */
export function lowestSatisfyingAll(ranges: string[]): string | undefined {
  const candidates = ranges.flatMap((r) =>
    new semver.Range(r).set.map((set) => semver.minVersion(set.map((c) => c.value).join(' ') || '*')),
  )
  return candidates
    .filter((v): v is semver.SemVer => v !== null && v.prerelease.length === 0)
    .sort(semver.compare)
    .map((v) => v.version)
    .find((v) => ranges.every((r) => semver.satisfies(v, r)))
}
