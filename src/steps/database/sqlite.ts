// SQLite needs no driver here: the database is a file, and an empty (0-byte) file is a valid,
// empty SQLite database. A non-empty file must start with SQLite's header, else the path is wrong.
import { closeSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { DevsetupError } from '../../errors.js'
import type { Presence } from './server.js'

const header = Buffer.from('SQLite format 3\0', 'latin1')

export function sqlitePath(file: string, cwd: string): string {
  return path.resolve(cwd, file)
}

/** Whether the file is there (its inode tells a replaced file from the one we migrated). */
export function probeSqlite(file: string, shown: string): Presence {
  let stats: ReturnType<typeof statSync>
  try {
    stats = statSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false }
    throw error
  }
  if (!stats.isFile())
    throw new DevsetupError(`${shown} is not a file`, { hint: 'point `path` at the SQLite file' })
  if (stats.size > 0) {
    const start = Buffer.alloc(header.length)
    const fd = openSync(file, 'r')
    try {
      readSync(fd, start, 0, header.length, 0)
    } finally {
      closeSync(fd)
    }
    if (!start.equals(header)) {
      throw new DevsetupError(`${shown} is not a SQLite database (no "SQLite format 3" header)`, {
        hint: 'is `path` right? devsetup never overwrites it',
      })
    }
  }
  return { exists: true, identity: `${stats.dev}:${stats.ino}` }
}

/** Creates the folder and an empty database file; false when the file appeared meanwhile. */
export function createSqlite(file: string): boolean {
  mkdirSync(path.dirname(file), { recursive: true })
  try {
    // 'wx': never truncate a file that exists.
    writeFileSync(file, '', { flag: 'wx' })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}
