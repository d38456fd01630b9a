// Where a repository's state lives. Today: the user's state folder (state-dir.ts), outside
// the repository so file watchers never see devsetup write. Before: `.devsetup/` at the
// repository root; an existing one is moved over on the first `up`, and is still used when
// the user's state folder cannot be created (kept out of git automatically then).
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { UserError } from '../errors.js'
import { fsFault } from './fs-fault.js'
import { repoStateDir } from './state-dir.js'

export const stateDirName = '.devsetup'

/** The folder devsetup used inside the repository before state moved out of it. */
export function legacyStateDir(root: string): string {
  return path.join(root, stateDirName)
}

/** The state folder in use: the user's one, unless only an old `.devsetup/` exists (not moved yet, or the fallback). */
export function stateDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = repoStateDir(root, env)
  const legacy = legacyStateDir(root)
  return !existsSync(dir) && existsSync(path.join(legacy, 'state.json')) ? legacy : dir
}

// What moves from an old `.devsetup/`: the state and the record of a server devsetup started
// (the server keeps running across the upgrade). Old run logs stay where they are.
const movedFiles = ['state.json', 'server.pid', 'server.json']

/** Creates the state folder (moving an old `.devsetup/` over once) and returns it. */
export function ensureStateDir(
  root: string,
  warn: (message: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const dir = repoStateDir(root, env)
  const legacy = legacyStateDir(root)
  try {
    mkdirSync(path.join(dir, 'logs'), { recursive: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    warn(
      `cannot create ${dir} (${code}); keeping devsetup's state in ${stateDirName}/ inside the repository (set DEVSETUP_STATE_DIR to a writable folder)`,
    )
    return ensureLegacyStateDir(root, warn)
  }
  if (!existsSync(path.join(dir, 'state.json')) && existsSync(path.join(legacy, 'state.json'))) {
    for (const name of movedFiles) {
      if (!existsSync(path.join(legacy, name))) continue
      copyFileSync(path.join(legacy, name), path.join(dir, name))
      rmSync(path.join(legacy, name), { force: true })
    }
    warn(
      `moved devsetup's state from ${stateDirName}/ to ${dir} (outside the repository, where file watchers do not see it)`,
    )
  }
  return dir
}

/** Creates .devsetup/ and lists it in .git/info/exclude (local to this clone, unlike .gitignore). */
function ensureLegacyStateDir(root: string, warn: (message: string) => void): string {
  const dir = legacyStateDir(root)
  try {
    mkdirSync(path.join(dir, 'logs'), { recursive: true })
  } catch (error) {
    const fault = fsFault(error, dir, 'create')
    if (fault) throw fault
    throw new UserError(
      `cannot create ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'devsetup keeps its state there: check the folder is writable by you',
    )
  }
  try {
    excludeFromGit(root)
  } catch (error) {
    // Not being able to hide .devsetup/ from `git status` is no reason to stop the setup.
    warn(
      `could not add /${stateDirName}/ to .git/info/exclude (${(error as NodeJS.ErrnoException).code}); add it to .gitignore`,
    )
  }
  return dir
}

/** The nearest folder at or above `dir` that holds `.git`: the top of its work tree. */
export function gitTop(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current
    if (path.dirname(current) === current) return undefined
  }
}

function excludeFromGit(root: string): void {
  // The recipe may live below the repository's top (`--recipe ci/devsetup.yml`): exclude
  // .devsetup/ by its path from the top of the enclosing work tree.
  const top = gitTop(root)
  if (top === undefined) return
  const gitDir = path.join(top, '.git')
  if (!statSync(gitDir).isDirectory()) return
  const entry = `/${path.relative(top, path.join(root, stateDirName)).split(path.sep).join('/')}/`
  const exclude = path.join(gitDir, 'info', 'exclude')
  const current = existsSync(exclude) ? readFileSync(exclude, 'utf8') : ''
  if (current.split(/\r?\n/).some((line) => line.trim() === entry)) return
  mkdirSync(path.dirname(exclude), { recursive: true })
  const separator = current === '' || current.endsWith('\n') ? '' : '\n'
  appendFileSync(exclude, `${separator}# devsetup's state and logs\n${entry}\n`)
}
