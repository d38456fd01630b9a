import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { UserError } from '../errors.js'

export const recipeNames = ['devsetup.yml', '.devsetup.yml', 'devsetup.yaml']

/** The recipe in `cwd` or a parent up to the git root; `explicit` (--recipe) overrides. */
export function findRecipe(cwd: string, explicit?: string): string {
  const start = path.resolve(cwd)
  if (!existsSync(start) || !statSync(start).isDirectory()) {
    throw new UserError(`--cwd ${cwd} is not a folder`)
  }
  if (explicit) {
    const file = path.resolve(start, explicit)
    if (!existsSync(file)) throw new UserError(`recipe not found: ${file}`, 'check the --recipe path')
    return file
  }
  for (let dir = start; ; dir = path.dirname(dir)) {
    for (const name of recipeNames) {
      const file = path.join(dir, name)
      if (existsSync(file)) return file
    }
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break
  }
  throw new UserError(
    `no devsetup.yml found in ${start} or its parents`,
    'run `devsetup init` to write one, or pass --recipe <file>',
  )
}
