// Which files the running server holds open ARE SQLite databases, asked while they can still
// answer. Emptied in place (`: > data/app.db`, same inode), a database loses the header that
// says what it is, and a `.db` in SQLite's default rollback mode has nothing beside it to tell
// (deleted-data.ts, emptiedSqlite): so `up` notes, while the header is there, each file under the
// repository the server's processes hold open that starts with "SQLite format 3\0" — its path,
// device and inode — in the server's record, in the user's state folder (server.ts). The check
// (doctor and up) only reads that note: the same file, same inode, still held open, without its
// header now, was a database and is an emptied one. Taken at the end of an `up` (the step's
// settle) that started the server and saw it answer, or found it running and well; a restart
// starts a new record, and with it a new note of the files that are still the same databases.
// Each entry also holds the database's table names (sqlite-tables.ts): a table gone is red.
import { type Stats, statSync } from 'node:fs'
import path from 'node:path'
import { serverMembers } from '../../engine/processes.js'
import { isSqlite, openFiles, sqliteSideFile } from './open-files.js'
import { findServer, readRecord, type ServerFiles, type ServerRecord, writeRecord } from './server.js'

/** A file seen to be a SQLite database; `atStart`: seen by the `up` that started the server. */
export interface SeenSqlite {
  file: string
  dev: number
  ino: number
  atStart?: true
  /** Its tables' names when noted (sqlite-tables.ts); absent: not read (yet). */
  tables?: string[]
  /** Its migration tool's table and how many rows it had then: more since, the app migrated. */
  migrations?: { table: string; rows: number }
}

/** The record's note; none in a record from before it existed, or a malformed one. */
export function seenSqlite(record: ServerRecord | undefined): SeenSqlite[] {
  const note: unknown = record?.sqlite
  if (!Array.isArray(note)) return []
  return note
    .filter(
      (seen): seen is SeenSqlite =>
        typeof seen?.file === 'string' && Number.isInteger(seen.dev) && Number.isInteger(seen.ino),
    )
    .map(({ tables, migrations, ...seen }) => {
      // Tables of another shape (a hand edit) are no note of them: nothing to compare.
      if (!Array.isArray(tables) || !tables.every((name) => typeof name === 'string')) return seen
      const counted = typeof migrations?.table === 'string' && Number.isInteger(migrations.rows)
      return { ...seen, tables, ...(counted && { migrations }) }
    })
}

/** The note's entry for this file as it is open now (same path, same device and inode), if any. */
export function seenAs(seen: readonly SeenSqlite[], file: string, stat: Pick<Stats, 'dev' | 'ino'>) {
  return seen.find((s) => s.file === file && s.dev === stat.dev && s.ino === stat.ino)
}

/**
 * The note a restarted server starts with: the entries whose file is still the same SQLite
 * database (same device and inode, its header there), so that a loss found before the restart
 * is still known after it. An emptied or replaced file is not carried: the new server's note
 * starts without it.
 */
export function carriedSqlite(record: ServerRecord | undefined, root: string): SeenSqlite[] {
  return seenSqlite(record).filter((seen) => sameDatabase(seen, root))
}

/** The file at the noted path is the noted one (same device and inode), with SQLite's header. */
export function sameDatabase(seen: SeenSqlite, root: string): boolean {
  const file = path.join(root, seen.file)
  const stat = statSync(file, { throwIfNoEntry: false })
  return stat?.dev === seen.dev && stat.ino === seen.ino && isSqlite(file)
}

/**
 * The restart step's settle (the end of an `up` that left it well): notes in the record of the
 * server devsetup started (and that is running, provably its own) which files it holds open are
 * SQLite databases. The record is the one the step's check reads (the same serverFiles). A
 * server started since this devsetup process began was started by this `up`. `withTables`
 * adds each database's tables to its entry.
 */
export async function noteServerSqlite(
  files: ServerFiles,
  root: string,
  withTables: (seen: SeenSqlite) => Promise<SeenSqlite>,
): Promise<void> {
  if (process.platform !== 'linux') return
  const record = readRecord(files)
  if (!record?.marker) return
  const { running } = await findServer({ ...files, start: record.command })
  if (!running.some((server) => server.ours)) return
  const atStart = Date.parse(record.startedAt) >= performance.timeOrigin
  const before = seenSqlite(record)
  const held = sqliteHeldOpen(record.pgid, root, record.marker, before, atStart)
  const now = await Promise.all(held.map(withTables))
  if (JSON.stringify(now) === JSON.stringify(before)) return
  const { sqlite: _, ...rest } = record
  writeRecord(files, now.length > 0 ? { ...rest, sqlite: now } : rest)
}

/**
 * The files under `root` the server's members hold open that start with SQLite's header, and
 * those noted `before` that they still hold (same inode), whatever they hold now: a note is
 * never forgotten while its file is open, so an emptied one stays known. A 0-byte file (a new
 * database SQLite has not written yet) is not noted: nothing says yet what it will be.
 */
function sqliteHeldOpen(
  pgid: number,
  root: string,
  marker: string,
  before: readonly SeenSqlite[],
  atStart: boolean,
): SeenSqlite[] {
  const noted = new Map<string, SeenSqlite>()
  for (const { pid, fd, file } of openFiles(serverMembers(pgid, marker), root)) {
    if (file.endsWith(' (deleted)') || sqliteSideFile(file)) continue
    const link = `/proc/${pid}/fd/${fd}`
    const stat = statSync(link, { throwIfNoEntry: false })
    if (!stat?.isFile()) continue
    const relative = path.relative(root, file)
    const key = `${relative}\0${stat.dev}\0${stat.ino}`
    if (noted.has(key)) continue
    const earlier = seenAs(before, relative, stat)
    if (earlier) noted.set(key, earlier)
    else if (isSqlite(link))
      noted.set(key, { file: relative, dev: stat.dev, ino: stat.ino, ...(atStart ? { atStart: true } : {}) })
  }
  // In a stable order: an unchanged note is not written again.
  return [...noted.values()].sort((a, b) => a.file.localeCompare(b.file) || a.ino - b.ino)
}
