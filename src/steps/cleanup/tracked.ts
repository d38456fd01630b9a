// The second guard against a recipe that names too much: files tracked by git are never
// deleted, whatever the patterns say. Source code is in git; caches and logs are not, so a
// cleanup that reaches tracked files is a mistake in the recipe, and the loss would be real
// (uncommitted edits to those files go with them). Git is asked once per sweep, and only
// when something matched, so a check with nothing to clean spawns nothing.
import path from 'node:path'
import { gitTop } from '../../engine/workdir.js'
import { UserError } from '../../errors.js'
import type { Exec } from '../define.js'
import type { Target } from './targets.js'

export interface Tracked {
  /** Whether git tracks this path (a file, a link, or a submodule's folder). */
  has(abs: string): boolean
  /** Whether git tracks something below this folder (else its entries need no lookup). */
  hasInside(dir: string): boolean
  /** Whether the answer is valid for all these targets (they were part of the question). */
  covers(targets: readonly Target[]): boolean
}

export const nothingTracked: Tracked = { has: () => false, hasInside: () => false, covers: () => false }

/** Above this many targets git lists the whole index: one short command line instead of a huge one. */
const maxPathspecs = 500

export async function trackedFiles(targets: readonly Target[], root: string, exec: Exec): Promise<Tracked> {
  if (targets.length === 0 || !insideGitWorkTree(root)) return nothingTracked
  const asked = targets.map((target) => path.relative(root, target.abs))
  const pathspecs = asked.length > maxPathspecs ? [] : asked
  // --literal-pathspecs: a matched name like `a[1].log` is a name, not a git wildcard.
  const result = await exec(['git', '--literal-pathspecs', 'ls-files', '-z', '--', ...pathspecs], {
    cwd: root,
    reject: false,
  }).catch((error: unknown) => {
    throw gitFailure(root, error instanceof Error ? error.message : String(error))
  })
  if (result.exitCode !== 0) throw gitFailure(root, result.stderr.trim().split('\n')[0] ?? '')
  const tracked = new Set(
    result.stdout
      .split('\0')
      .filter(Boolean)
      .map((rel) => path.join(root, rel)),
  )
  const askedAbs = new Set(targets.map((target) => target.abs))
  let ancestors: Set<string> | undefined
  return {
    has: (abs) => tracked.has(abs),
    hasInside: (dir) => {
      if (tracked.size === 0) return false
      ancestors ??= ancestorsOf(tracked, root)
      return ancestors.has(dir)
    },
    covers: (later) => pathspecs.length === 0 || later.every((target) => askedAbs.has(target.abs)),
  }
}

/** Every folder above a tracked path, up to the repository root. */
function ancestorsOf(tracked: ReadonlySet<string>, root: string): Set<string> {
  const ancestors = new Set<string>()
  for (const abs of tracked) {
    for (
      let dir = path.dirname(abs);
      dir.length >= root.length && !ancestors.has(dir);
      dir = path.dirname(dir)
    )
      ancestors.add(dir)
  }
  return ancestors
}

/** The repository root, or a folder above it (a recipe in a monorepo's package), has `.git`. */
function insideGitWorkTree(root: string): boolean {
  return gitTop(root) !== undefined
}

function gitFailure(root: string, detail: string): UserError {
  return new UserError(
    `cannot ask git which files are tracked (cleanup never deletes those): ${detail || 'git ls-files failed'}`,
    `run \`git ls-files\` in ${root} to see why; if git reports "dubious ownership", run \`git config --global --add safe.directory ${root}\``,
  )
}
