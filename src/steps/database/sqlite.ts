// The SQLite file itself: creating one needs no driver (an empty, 0-byte file is a valid, empty
// SQLite database); a non-empty file must start with SQLite's header, else the path is wrong.
// Reading its tables is sqlite-reader.ts.
import { closeSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs'
import { open, readdir } from 'node:fs/promises'
import path from 'node:path'
import { assertFileInside } from '../../engine/confine.js'
import { DevsetupError, UserError } from '../../errors.js'
import type { Presence } from './server.js'
import type { SqliteTarget } from './target.js'

const header = Buffer.from('SQLite format 3\0', 'latin1')

export function sqlitePath(file: string, cwd: string): string {
  return path.resolve(cwd, file)
}

/**
 * The database file, absolute, where check and run start: refused (UserError) when a folder
 * link the repository ships leads it outside the repository, or when it lies in .git.
 */
export function confinedSqlitePath(target: SqliteTarget, root: string, cwd: string): string {
  assertFileInside(root, cwd, target.file, target.url === undefined ? 'path' : 'url')
  return sqlitePath(target.file, cwd)
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

const skippedFolders = new Set(['node_modules', '.git', '.devsetup', 'vendor', 'tmp', 'log'])
const walkBudget = 5000
const maxFound = 5

/**
 * Non-empty SQLite files under `root` other than `except`, relative to `root`, found by their
 * header (the app's `db/data` has no telling extension): where the app's migrate wrote instead.
 * A bounded walk (depth 5, 5,000 entries, 5 hits), only on the failure path.
 */
export async function otherSqliteFiles(root: string, except: string): Promise<string[]> {
  const found: string[] = []
  let budget = walkBudget
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
    for (const entry of entries) {
      if (--budget < 0 || found.length >= maxFound) return
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (depth < 5 && !skippedFolders.has(entry.name)) await walk(full, depth + 1)
      } else if (entry.isFile() && full !== except && (await startsWithHeader(full))) {
        found.push(path.relative(root, full))
      }
    }
  }
  await walk(root, 0)
  return found.sort()
}

async function startsWithHeader(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => undefined)
  if (!handle) return false
  try {
    const start = Buffer.alloc(header.length)
    const { bytesRead } = await handle.read(start, 0, header.length, 0)
    return bytesRead === header.length && start.equals(header)
  } finally {
    await handle.close()
  }
}
