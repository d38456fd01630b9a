// SQLite needs no driver here: the database is a file, and an empty (0-byte) file is a valid,
// empty SQLite database. A non-empty file must start with SQLite's header, else the path is wrong.
import { closeSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { DevsetupError, UserError } from '../../errors.js'
import type { Presence } from './server.js'

const header = Buffer.from('SQLite format 3\0', 'latin1')

export function sqlitePath(file: string, cwd: string): string {
  return path.resolve(cwd, file)
}

/**
 * A file-system failure as the user's problem, with what to do about it: `devsetup up`
 * cannot fix a permission or a wrong path, so the hint must not send them there.
 */
function fileProblem(error: unknown, action: 'read' | 'create', shown: string): DevsetupError {
  const code = (error as NodeJS.ErrnoException)?.code
  const fixes: Record<string, [string, string]> = {
    EACCES: [
      'permission denied',
      `fix the permissions so you can read and write ${shown} and its folder (ls -l; chmod u+rw, or chown to your user)`,
    ],
    EPERM: ['operation not permitted', `fix the permissions or attributes of ${shown} and its folder`],
    ENOTDIR: ['a folder on its path is a file', `point \`path\` at a file whose folders are folders`],
    ELOOP: ['too many symbolic links (a loop?)', `fix the symbolic links on the path of ${shown}`],
    EROFS: ['the file system is read-only', 'point `path` at a writable place inside the repository'],
    ENOSPC: ['no space left on the device', 'free some disk space'],
  }
  const [why, hint] = (code && fixes[code]) || [
    (error as Error)?.message ?? String(error),
    `check ${shown} and its folder`,
  ]
  return new UserError(`cannot ${action} ${shown}: ${why}`, hint)
}

/** Whether the file is there (its inode tells a replaced file from the one we migrated). */
export function probeSqlite(file: string, shown: string): Presence {
  let stats: ReturnType<typeof statSync>
  try {
    stats = statSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false }
    throw fileProblem(error, 'read', shown)
  }
  if (!stats.isFile())
    throw new DevsetupError(`${shown} is not a file`, { hint: 'point `path` at the SQLite file' })
  if (stats.size > 0) {
    const start = Buffer.alloc(header.length)
    try {
      const fd = openSync(file, 'r')
      try {
        readSync(fd, start, 0, header.length, 0)
      } finally {
        closeSync(fd)
      }
    } catch (error) {
      throw fileProblem(error, 'read', shown)
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
export function createSqlite(file: string, shown: string): boolean {
  try {
    mkdirSync(path.dirname(file), { recursive: true })
    // 'wx': never truncate a file that exists.
    writeFileSync(file, '', { flag: 'wx' })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw fileProblem(error, 'create', shown)
  }
}
