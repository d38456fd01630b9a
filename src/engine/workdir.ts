// The .devsetup/ folder at the repository root, kept out of git automatically.
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

export const stateDirName = '.devsetup'

export function stateDir(root: string): string {
  return path.join(root, stateDirName)
}

/** Creates .devsetup/ and lists it in .git/info/exclude (local to this clone, unlike .gitignore). */
export function ensureStateDir(root: string): string {
  const dir = stateDir(root)
  mkdirSync(path.join(dir, 'logs'), { recursive: true })
  const gitDir = path.join(root, '.git')
  if (existsSync(gitDir) && statSync(gitDir).isDirectory()) {
    const exclude = path.join(gitDir, 'info', 'exclude')
    const current = existsSync(exclude) ? readFileSync(exclude, 'utf8') : ''
    if (
      !current
        .split(/\r?\n/)
        .some((line) => line.trim() === `/${stateDirName}/` || line.trim() === `${stateDirName}/`)
    ) {
      mkdirSync(path.dirname(exclude), { recursive: true })
      const separator = current === '' || current.endsWith('\n') ? '' : '\n'
      appendFileSync(exclude, `${separator}# devsetup's state and logs\n/${stateDirName}/\n`)
    }
  }
  return dir
}
