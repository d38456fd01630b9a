// A database file the running server holds open, deleted behind its back (`rm data/kuma.db`,
// `rm config/absdatabase.sqlite`): the app goes on answering from the deleted file until its next
// restart, then starts over empty, and no step may name that file (its path computed in the
// app's code). The server's own open files are the truth: a deleted SQLite database among them,
// read through /proc/<pid>/fd (its header, "SQLite format 3"), or a deleted file it holds open
// for writing that is no log, pidfile or cache (etherpad's var/dirty.db), makes the check red.
// Emptied in place (`: > data/kuma.db`, same inode): the app answers on, writes pages into a file
// with no header, and its next start dies SQLITE_CORRUPT. See emptiedSqlite for how such a file,
// whose header is gone, is still known to be a SQLite database.
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  statSync,
} from 'node:fs'
import path from 'node:path'
import { serverMembers } from '../../engine/processes.js'

const sqliteHeader = 'SQLite format 3\0'

/**
 * What is wrong with the database under `root` a process of the server holds open (its group, and
 * with `marker`, what its start spawned into groups of their own): "on a deleted database: …" or
 * "on an emptied database: …", or undefined.
 */
export function deletedDatabase(pgid: number, root: string, marker?: string): string | undefined {
  if (process.platform !== 'linux') return undefined
  const members = serverMembers(pgid, marker)
  const deleted = deletedFile(members, root)
  if (deleted)
    return `on a deleted database: ${deleted} was deleted while the server held it open (its data went with it; a restart lets the app make a new one)`
  const emptied = emptiedSqlite(members, root)
  if (emptied)
    return `on an emptied database: ${emptied.file} ${emptied.how} while the server holds it open (${emptied.known}): its data is gone, and the app's next start fails on it (SQLITE_CORRUPT); restore it from a backup, or remove ${emptied.file} and its -wal/-shm files so that the app makes a new one`
  return undefined
}

/**
 * A SQLite database the server holds open that is now 0 bytes or no longer starts with SQLite's
 * header. Its header gone, the file is known as SQLite
 *   - by the files SQLite keeps beside a database it has open: `<db>-wal` and `<db>-shm` for as
 *     long as a connection in WAL mode is open (uptime-kuma, better-sqlite3's advice), `<db>-journal`
 *     while a write is under way (with a file that is not empty: a new database's first write has
 *     a -journal beside a 0-byte file for a moment). Only SQLite names files so;
 *   - or by a name only SQLite databases take (`.sqlite`, `.sqlite3`, `.db3`): a database in the
 *     default rollback mode, emptied while idle, has no file beside it (Maintainerr's
 *     maintainerr.sqlite, audiobookshelf's absdatabase.sqlite). `.db` would not do: etherpad's
 *     dirty.db is a text file.
 * Limit: a `.db` database in rollback mode, emptied while idle, stays unseen; and an app that holds
 * a new `.sqlite` open with nothing written yet (SQLite makes a 0-byte file on first open) is
 * red until it writes its schema — after a migrate or a boot that creates its tables, never.
 */
function emptiedSqlite(
  members: { pid: number }[],
  root: string,
): { file: string; how: string; known: string } | undefined {
  for (const { pid, fd, file } of openFiles(members, root)) {
    if (file.endsWith(' (deleted)') || /-(wal|shm|journal)$/.test(file)) continue
    const sibling = ['-wal', '-shm', '-journal'].find((suffix) => existsSync(file + suffix))
    const named = /\.(?:sqlite3?|db3)$/i.test(file)
    if (!sibling && !named) continue
    const link = `/proc/${pid}/fd/${fd}`
    if (isSqlite(link)) continue
    const size = statSync(link, { throwIfNoEntry: false })?.size
    // A new database's first write: SQLite makes `-journal`, then writes page 1 into the 0-byte file.
    if (size === undefined || (size === 0 && sibling === '-journal')) continue
    const relative = path.relative(root, file)
    return {
      file: relative,
      how: size === 0 ? 'is 0 bytes' : `no longer starts with SQLite's header (${size} bytes)`,
      known: sibling
        ? `beside it ${path.basename(file)}${sibling}, which only SQLite makes`
        : `${path.extname(file)}, a SQLite database's name`,
    }
  }
  return undefined
}

/** The files under `root` the members hold open, by /proc/<pid>/fd (" (deleted)" kept on the name). */
function* openFiles(
  members: { pid: number }[],
  root: string,
): Generator<{ pid: number; fd: string; file: string }> {
  for (const { pid } of members) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      let target: string
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      } catch {
        continue
      }
      if (!target.startsWith('/')) continue
      const relative = path.relative(root, target)
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue
      yield { pid, fd, file: target }
    }
  }
}

/** The first deleted SQLite database, or deleted file written as data, the members hold open. */
function deletedFile(members: { pid: number }[], root: string): string | undefined {
  for (const { pid, fd, file: target } of openFiles(members, root)) {
    if (!target.endsWith(' (deleted)')) continue
    const relative = path.relative(root, target.slice(0, -' (deleted)'.length))
    if (isSqlite(`/proc/${pid}/fd/${fd}`) || (writtenData(relative) && openForWriting(pid, fd)))
      return relative
  }
  return undefined
}

// A file the server writes its data to (etherpad's var/dirty.db, a JSON store), as opposed to its
// logs, pidfiles, sockets, caches and build output, which are deleted and remade as a matter of course.
const notData =
  /\.(log|tmp|temp|pid|lock|sock|swp)$|(^|\/)(logs?|tmp|temp|cache|\.cache|node_modules|\.next|\.nuxt|dist|build|\.git)\//i

function writtenData(relative: string): boolean {
  return !notData.test(relative)
}

/** Whether the descriptor is open for writing (its flags in /proc/<pid>/fdinfo: O_WRONLY or O_RDWR). */
function openForWriting(pid: number, fd: string): boolean {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1]
    return flags !== undefined && (Number.parseInt(flags, 8) & 3) !== 0
  } catch {
    return false
  }
}

function isSqlite(link: string): boolean {
  let fd: number | undefined
  try {
    fd = openSync(link, 'r')
    const buffer = Buffer.alloc(sqliteHeader.length)
    return (
      readSync(fd, buffer, 0, buffer.length, 0) === buffer.length &&
      buffer.toString('latin1') === sqliteHeader
    )
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
