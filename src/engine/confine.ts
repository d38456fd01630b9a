// A step's working directory must stay inside the repository. The recipe's schema already
// refuses absolute paths and `..`; a symbolic link inside the repository can still point
// anywhere, so the folder is resolved through its links before anything runs in it.
import { realpathSync } from 'node:fs'
import path from 'node:path'
import { DevsetupError } from '../errors.js'

/**
 * Why `dir` is not a place a step may work in, or undefined when it resolves inside `root`.
 * A folder that does not exist yet is judged by its nearest existing parent plus the rest
 * (creating it later must not land outside either). `what` names the path in the message.
 */
export function outsideRepository(root: string, dir: string, what = 'cwd'): string | undefined {
  const real = resolveLinks(dir)
  const realRoot = resolveLinks(root)
  const relative = path.relative(realRoot, real)
  if (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  )
    return undefined
  const written = path.relative(root, dir) || '.'
  return `${what} \`${written.split(path.sep).join('/')}\` leads outside the repository (to ${real}) through a symbolic link`
}

/** Throws when `dir` leaves the repository: for run(), where refusing is the answer. */
export function assertInsideRepository(root: string, dir: string): void {
  const why = outsideRepository(root, dir)
  if (why) throw new DevsetupError(why, { hint: 'point `cwd:` at a folder inside the repository' })
}

function resolveLinks(dir: string): string {
  const rest: string[] = []
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      // The native call: one realpath(3), where the JS one lstats every component (each step's check asks).
      return path.join(realpathSync.native(current), ...rest)
    } catch {
      if (path.dirname(current) === current) return path.resolve(dir)
      rest.unshift(path.basename(current))
    }
  }
}
