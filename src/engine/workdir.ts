// Where a repository's state lives: the user's state folder (state-dir.ts), outside the
// repository so file watchers never see devsetup write, and so that nothing a repository
// ships can pose as devsetup's own records. An older devsetup kept its state in `.devsetup/`
// at the repository root; it is never read (a clone can carry one, crafted to make a step
// look done or to name a foreign pid to stop): `up` only says it can be deleted.
import { existsSync, lstatSync, mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { UserError } from '../errors.js'
import { fsFault } from './fs-fault.js'
import { repoStateDir } from './state-dir.js'

export const stateDirName = '.devsetup'

/** Creates the state folder and returns it; says once that an old in-repository `.devsetup/` can go. */
export function ensureStateDir(
  root: string,
  warn: (message: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const dir = repoStateDir(root, env)
  let made: string | undefined
  try {
    made = mkdirSync(path.join(dir, 'logs'), { recursive: true })
  } catch (error) {
    const fault = fsFault(error, dir, 'create')
    if (fault) throw fault
    throw new UserError(
      `cannot create ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'devsetup keeps its state there: make it a writable folder, or point DEVSETUP_STATE_DIR at one',
    )
  }
  // lstat: a `.devsetup` link is not followed, and nothing inside it is read.
  if (made !== undefined && isFolder(path.join(root, stateDirName)))
    warn(
      `${stateDirName}/ in the repository is not used (devsetup keeps its state in ${dir}): you can delete it`,
    )
  return dir
}

function isFolder(file: string): boolean {
  try {
    return lstatSync(file).isDirectory()
  } catch {
    return false
  }
}

/** The nearest folder at or above `dir` that holds `.git`: the top of its work tree. */
export function gitTop(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current
    if (path.dirname(current) === current) return undefined
  }
}

/**
 * Which clone lives at `root` now: the identity (device, inode, birth time) of its `.git`, or
 * of `root` itself outside git. The state folder is keyed on the path; `rm -rf app && git
 * clone … app` gives the same path a new clone, whose steps never ran — state.json records
 * this identity and is set aside when it differs (state.ts). The birth time tells a new
 * folder from an old one even when the file system hands out the same inode again.
 */
export function cloneIdentity(root: string): string | undefined {
  const top = gitTop(root)
  try {
    const stat = statSync(top === undefined ? root : path.join(top, '.git'), { bigint: true })
    const born = stat.birthtimeNs > 0n ? `:${stat.birthtimeNs}` : ''
    return `${stat.dev}:${stat.ino}${born}`
  } catch {
    return undefined
  }
}
