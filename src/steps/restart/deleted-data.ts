// A database file the running server holds open, deleted behind its back (`rm data/kuma.db`,
// `rm config/absdatabase.sqlite`): the app goes on answering from the deleted file until its next
// restart, then starts over empty, and no step may name that file (its path computed in the
// app's code). The server's own open files are the truth: a deleted SQLite database among them,
// read through /proc/<pid>/fd (its header, "SQLite format 3"), or a deleted file it holds open
// for writing that is no log, pidfile or cache (etherpad's var/dirty.db), makes the check red.
// Emptied in place (`: > data/kuma.db`, same inode): the app answers on, writes pages into a file
// with no header, and its next start dies on it ("file is not a database"), or, the file still 0
// bytes, does what the app does with an empty file (flame makes a new database; audiobookshelf's
// migrations fail on it; uptime-kuma's leftover -wal makes it corrupt). See emptiedSqlite for how such a file, whose
// header is gone, is still known to be a SQLite database.
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { serverMembers } from '../../engine/processes.js'
import { isSqlite, openFiles, sqliteSideFile } from './open-files.js'
import { type SeenSqlite, seenAs } from './sqlite-seen.js'

/**
 * What is wrong with the database under `root` a process of the server holds open (its group, and
 * with `marker`, what its start spawned into groups of their own): "on a deleted database: …" or
 * "on an emptied database: …", or undefined. `seen`: the files `up` saw to be SQLite databases
 * while this server ran (sqlite-seen.ts).
 */
export function deletedDatabase(
  pgid: number,
  root: string,
  marker?: string,
  seen: readonly SeenSqlite[] = [],
): string | undefined {
  if (process.platform !== 'linux') return undefined
  const members = serverMembers(pgid, marker)
  const deleted = deletedFile(members, root)
  if (deleted)
    return `on a deleted database: ${deleted} was deleted while the server held it open (its data went with it; a restart lets the app make a new one)`
  const emptied = emptiedSqlite(members, root, seen)
  if (emptied)
    return `on an emptied database: ${emptied.file} ${emptied.how} while the server holds it open (${emptied.known}): its data is gone, and ${
      emptied.empty
        ? 'what the app does with an empty file at its next start is its own (a new database, or a failed migration)'
        : 'the app\'s next start fails on it ("file is not a database")'
    }; restore it from a backup, or remove ${emptied.file} and its -wal/-shm files so that the app makes a new one`
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
 *     dirty.db is a text file;
 *   - or by `up`'s note (sqlite-seen.ts): the same file, same inode, started with SQLite's header
 *     when `up` started the server, or found it running, and looked. That is what tells a `.db`
 *     in rollback mode, emptied while idle.
 * Limit: the note holds only what the server had open, with its header, when `up` looked: a
 * database that was 0 bytes then (new, nothing written yet) is not in it, and one the app opens
 * only later (on a first request) is noted at the next `up`; until then such a `.db`, emptied
 * while idle, stays unseen. A server started by hand (only `pidfile:`) has no record, so no note.
 * And an app that holds a new `.sqlite` open with nothing written yet (SQLite makes a 0-byte
 * file on first open) is red until it writes its schema — after a migrate or a boot that
 * creates its tables, never.
 */
function emptiedSqlite(
  members: { pid: number }[],
  root: string,
  seen: readonly SeenSqlite[],
): { file: string; how: string; known: string; empty: boolean } | undefined {
  for (const { pid, fd, file } of openFiles(members, root)) {
    if (file.endsWith(' (deleted)') || sqliteSideFile(file)) continue
    const relative = path.relative(root, file)
    const link = `/proc/${pid}/fd/${fd}`
    const sibling = ['-wal', '-shm', '-journal'].find((suffix) => existsSync(file + suffix))
    const named = /\.(?:sqlite3?|db3)$/i.test(file)
    const stat = sibling || named || seen.length > 0 ? statSync(link, { throwIfNoEntry: false }) : undefined
    const noted = stat && seenAs(seen, relative, stat)
    if (!sibling && !named && !noted) continue
    if (!stat || isSqlite(link)) continue
    // A new database's first write: SQLite makes `-journal`, then writes page 1 into the 0-byte file.
    if (stat.size === 0 && sibling === '-journal' && !noted) continue
    return {
      file: relative,
      empty: stat.size === 0,
      how: stat.size === 0 ? 'is 0 bytes' : `no longer starts with SQLite's header (${stat.size} bytes)`,
      known: sibling
        ? `beside it ${path.basename(file)}${sibling}, which only SQLite makes`
        : named
          ? `${path.extname(file)}, a SQLite database's name`
          : noted!.atStart
            ? 'it was a SQLite database when devsetup started the server'
            : 'it was a SQLite database when `devsetup up` last found the server running',
    }
  }
  return undefined
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
