// From the recipe's patterns to the paths the cleanup step may touch. Everything here is
// about confinement: a match must lie inside the repository *physically* (its parent's
// realpath), never be `.git` or `.devsetup`, never be a kept path, and be listed once.
import { existsSync, lstatSync } from 'node:fs'
import { lstat, realpath } from 'node:fs/promises'
import path from 'node:path'
import { expandBraces, fixedPrefix, isGlob, matchGlob, unescapeGlob } from './glob.js'

export interface Target {
  abs: string
  /** A folder named without wildcards (`tmp/cache`): emptied, the folder itself stays. */
  emptyOnly: boolean
}

export interface KeepSet {
  has(abs: string): boolean
  /** Whether some kept path lies inside this folder (it cannot be removed wholesale). */
  hasInside(abs: string): boolean
}

/** Names that are never deleted, at any depth: the repository itself and devsetup's own state. */
export const protectedNames = new Set(['.git', '.devsetup'])

export async function resolveKeep(patterns: readonly string[], cwd: string): Promise<KeepSet> {
  const kept = new Set<string>()
  const ancestors = new Set<string>()
  for (const rel of expand(patterns, cwd)) {
    const abs = path.resolve(cwd, rel)
    kept.add(abs)
    for (let dir = path.dirname(abs); dir !== path.dirname(dir); dir = path.dirname(dir)) ancestors.add(dir)
  }
  return { has: (abs) => kept.has(abs), hasInside: (abs) => ancestors.has(abs) }
}

export interface Resolved {
  targets: Target[]
  /** Glob-looking patterns taken as the name they spell, because a file of that name was there. */
  asWritten: string[]
  /** Matches left alone because a symbolic link in their path leads out of the repository. */
  outside: string[]
}

export async function resolveTargets(
  patterns: readonly string[],
  cwd: string,
  root: string,
  keep: KeepSet,
  /** Patterns known to name a path as written, even if it is gone now (deleted by an earlier run). */
  knownAsWritten: ReadonlySet<string>,
): Promise<Resolved> {
  const realRoot = await realpath(root)
  const insideRealRoot = new Map<string, Promise<boolean>>()
  // A symlinked parent (tmp -> ~) would lead the glob, and our deletes, out of the repository.
  const physicallyInside = (dir: string) => {
    let answer = insideRealRoot.get(dir)
    if (!answer) {
      answer = realpath(dir).then(
        (real) => real === realRoot || real.startsWith(realRoot + path.sep),
        () => false,
      )
      insideRealRoot.set(dir, answer)
    }
    return answer
  }

  const outside: string[] = []
  const candidates: { abs: string; literal: boolean }[] = []
  const asWritten = new Set<string>()
  for (const { pattern, literal } of readPatterns(patterns, cwd, knownAsWritten)) {
    if (literal !== undefined) {
      if (isGlob(pattern)) asWritten.add(pattern)
      candidates.push({ abs: path.resolve(cwd, literal), literal: true })
      continue
    }
    const base = path.resolve(cwd, fixedPrefix(pattern))
    if (!existsSync(base)) continue
    if (!(await physicallyInside(base))) {
      outside.push(path.relative(root, base))
      continue
    }
    for (const match of matchGlob(pattern, cwd, { skip: protectedNames })) {
      candidates.push({ abs: path.resolve(cwd, match), literal: false })
    }
  }

  const accepted = new Map<string, Target>()
  for (const { abs, literal } of candidates) {
    const rel = path.relative(root, abs)
    if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) continue // never the root, never outside
    if (rel.split(path.sep).some((part) => protectedNames.has(part)) || keep.has(abs)) continue
    const stats = await lstat(abs).catch(() => undefined)
    if (!stats) continue
    if (!(await physicallyInside(path.dirname(abs)))) {
      outside.push(rel)
      continue
    }
    const existing = accepted.get(abs)
    const emptyOnly = literal && stats.isDirectory()
    // Named both as a folder and by a glob: the glob's "remove it" wins over "empty it".
    if (!existing || (existing.emptyOnly && !emptyOnly)) accepted.set(abs, { abs, emptyOnly })
  }
  // A path inside another target is handled by that target's walk.
  const targets = [...accepted.values()].filter((target) => !hasAncestorIn(target.abs, accepted, root))
  return {
    targets: targets.sort((a, b) => (a.abs < b.abs ? -1 : 1)),
    outside: [...new Set(outside)].sort(),
    asWritten: [...asWritten].sort(),
  }
}

function hasAncestorIn(abs: string, accepted: Map<string, Target>, root: string): boolean {
  for (let dir = path.dirname(abs); dir.length > root.length; dir = path.dirname(dir)) {
    if (accepted.has(dir)) return true
  }
  return false
}

/**
 * Each pattern as a glob to match, or as the literal path it names. A path that exists as
 * written is that path even when it holds glob characters: `log/a[1].log` must delete the
 * file of that name, never `log/a1.log`. Braces are tried as written first for the same reason.
 * Once deleted, the file is gone, so `known` (remembered from earlier sweeps) keeps such a
 * pattern a name: otherwise the next run would read it as a glob and delete `log/a1.log`.
 */
function readPatterns(
  patterns: readonly string[],
  cwd: string,
  known: ReadonlySet<string>,
): { pattern: string; literal?: string }[] {
  const named = (pattern: string) => known.has(pattern) || existsAsWritten(pattern, cwd)
  return patterns.flatMap((written) => {
    if (isGlob(written) && named(written)) return [{ pattern: written, literal: written }]
    return expandBraces(written).map((pattern) => {
      if (!isGlob(pattern)) return { pattern, literal: unescapeGlob(pattern) }
      return named(pattern) ? { pattern, literal: pattern } : { pattern }
    })
  })
}

function existsAsWritten(pattern: string, cwd: string): boolean {
  try {
    return lstatSync(path.resolve(cwd, pattern), { throwIfNoEntry: false }) !== undefined
  } catch {
    return false // ENOTDIR and the like: nothing of that name
  }
}

/**
 * Keep patterns → relative paths: literal ones as written (they may not exist), globs as
 * matched, and a glob-looking name that exists both ways (keeping more is the safe side).
 */
function expand(patterns: readonly string[], cwd: string): string[] {
  return patterns.flatMap((written) => [
    ...(isGlob(written) && existsAsWritten(written, cwd) ? [written] : []),
    ...expandBraces(written).flatMap((pattern) =>
      isGlob(pattern)
        ? [
            ...matchGlob(pattern, cwd, { skip: protectedNames }),
            ...(existsAsWritten(pattern, cwd) ? [pattern] : []),
          ]
        : [unescapeGlob(pattern)],
    ),
  ])
}
