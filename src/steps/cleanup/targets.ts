// From the recipe's patterns to the paths the cleanup step may touch. Everything here is
// about confinement: a match must lie inside the repository *physically* (its parent's
// realpath), never be `.git` or `.devsetup`, never be a kept path, and be listed once.
import { existsSync } from 'node:fs'
import { lstat, realpath } from 'node:fs/promises'
import path from 'node:path'
import { expandBraces, fixedPrefix, isGlob, matchGlob } from './glob.js'

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
  /** Matches left alone because a symbolic link in their path leads out of the repository. */
  outside: string[]
}

export async function resolveTargets(
  patterns: readonly string[],
  cwd: string,
  root: string,
  keep: KeepSet,
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
  for (const pattern of patterns.flatMap(expandBraces)) {
    if (!isGlob(pattern)) {
      candidates.push({ abs: path.resolve(cwd, pattern), literal: true })
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
  return { targets: targets.sort((a, b) => (a.abs < b.abs ? -1 : 1)), outside: [...new Set(outside)].sort() }
}

function hasAncestorIn(abs: string, accepted: Map<string, Target>, root: string): boolean {
  for (let dir = path.dirname(abs); dir.length > root.length; dir = path.dirname(dir)) {
    if (accepted.has(dir)) return true
  }
  return false
}

/** Patterns → relative paths: literal ones as written (they may not exist), globs as matched. */
function expand(patterns: readonly string[], cwd: string): string[] {
  return patterns
    .flatMap(expandBraces)
    .flatMap((pattern) => (isGlob(pattern) ? matchGlob(pattern, cwd, { skip: protectedNames }) : [pattern]))
}
