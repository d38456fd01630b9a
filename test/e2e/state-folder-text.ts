// What the state folder holds, as one text: where the secrets tests look for a secret that
// must not be kept.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { stateDirOf } from '../helpers.js'

/**
 * Every file of `repo`'s state folder (logs, state.json, recipe.json), as one text. `except`:
 * file names left out (recipe.json, for a secret written in the recipe itself: the cache keeps
 * the repository's own text).
 */
export function stateFolderText(repo: string, except: string[] = []): string {
  const read = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(folder, entry.name)
      if (entry.isDirectory()) return read(full)
      return entry.isFile() && !except.includes(entry.name) ? [readFileSync(full, 'utf8')] : []
    })
  return read(stateDirOf(repo)).join('\n')
}
