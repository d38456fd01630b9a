// The .devsetup/ folder at the repository root, kept out of git automatically.
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { UserError } from '../errors.js'
import { fsFault } from './fs-fault.js'

export const stateDirName = '.devsetup'

export function stateDir(root: string): string {
  return path.join(root, stateDirName)
}

/** Creates .devsetup/ and lists it in .git/info/exclude (local to this clone, unlike .gitignore). */
export function ensureStateDir(root: string, warn: (message: string) => void): string {
  const dir = stateDir(root)
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
