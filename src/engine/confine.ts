// A step's working directory must stay inside the repository. The recipe's schema already
// refuses absolute paths and `..`; a symbolic link inside the repository can still point
// anywhere, so the folder is resolved through its links before anything runs in it.
import { lstatSync, readlinkSync, realpathSync } from 'node:fs'
import path from 'node:path'
import { DevsetupError, UserError } from '../errors.js'

/**
 * Why `dir` is not a place a step may work in, or undefined when it resolves inside `root`.
 * A folder that does not exist yet is judged by its nearest existing parent plus the rest
 * (creating it later must not land outside either). `what` names the path in the message.
 */
export function outsideRepository(root: string, dir: string, what = 'cwd'): string | undefined {
  const { real, relative } = resolveInside(root, dir)
  if (relative !== undefined) return undefined
  return `${what} \`${written(root, dir)}\` leads outside the repository (to ${real}) through a symbolic link`
}

/**
 * Throws when a file the recipe names (`key:`, relative to the step's folder) resolves outside
 * the repository or into git's own folder: a cloned repository must not make devsetup read,
 * write or delete a file elsewhere through a link it ships, nor write git's config or hooks
 * (`.git/config` can set `core.sshCommand`). Checked before anything touches the file.
 */
export function assertFileInside(root: string, cwd: string, file: string, key: string): void {
  const full = path.resolve(cwd, file)
  const why = outsideRepository(root, full, `${key}:`)
  if (why) throw new UserError(why, `point \`${key}:\` at a path inside the repository`)
  const { relative } = resolveInside(root, full)
  if (relative?.split(path.sep).includes('.git')) {
    const through = relative.split(path.sep).join('/') === written(root, full) ? '' : ` (${relative})`
    throw new UserError(
      `${key}: \`${written(root, full)}\` is inside git's own folder${through}: devsetup never writes there`,
      `point \`${key}:\` at a path outside .git`,
    )
  }
}

/** `dir` through its links, and its path inside the (real) repository; undefined when outside. */
function resolveInside(root: string, dir: string): { real: string; relative: string | undefined } {
  const real = resolveLinks(dir)
  const relative = path.relative(resolveLinks(root), real)
  const inside = !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative)
  return { real, relative: inside ? relative : undefined }
}

function written(root: string, dir: string): string {
  return (path.relative(root, dir) || '.').split(path.sep).join('/')
}

/** Throws when `dir` leaves the repository: for run(), where refusing is the answer. */
export function assertInsideRepository(root: string, dir: string): void {
  const why = outsideRepository(root, dir)
  if (why) throw new DevsetupError(why, { hint: 'point `cwd:` at a folder inside the repository' })
}

function resolveLinks(dir: string, depth = 0): string {
  const rest: string[] = []
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      // The native call: one realpath(3), where the JS one lstats every component (each step's check asks).
      return path.join(realpathSync.native(current), ...rest)
    } catch {
      // A dangling link: creating or appending through it writes where it points, so follow it.
      const target = depth < 40 ? danglingTarget(current) : undefined
      if (target !== undefined) return path.join(resolveLinks(target, depth + 1), ...rest)
      if (path.dirname(current) === current) return path.resolve(dir)
      rest.unshift(path.basename(current))
    }
  }
}

function danglingTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? path.resolve(path.dirname(file), readlinkSync(file)) : undefined
  } catch {
    return undefined
  }
}
