// Tables gone from a SQLite database the app owns, with no `database` step to notice: uptime-kuma
// makes and migrates data/kuma.db itself at boot, and after `DROP TABLE setting` it answers on,
// broken, while the server holds the file open. The restart step's note of the server's SQLite
// files (sqlite-seen.ts) also holds each one's table names (names only, never rows), taken at
// the end of `up`; the check compares them with the tables the same file (same device and inode,
// still held open by the server) has now. The words and the cap are the database step's
// (../database/lost-tables.ts): a loss is a loss, whoever made the schema.
//
// A loss is red; `up` restarts the app so that it can make its tables again at boot, and fails
// if it does not. Only a migration of the app's own (its migration tool's table has more rows
// than when noted: it dropped or renamed a table on purpose) or `up --force` notes anew.
import { statSync } from 'node:fs'
import path from 'node:path'
import { serverMembers } from '../../engine/processes.js'
import { recipeServersOf } from '../../recipe/recipe-servers.js'
import { accept, describeLoss, namesOf } from '../database/lost-tables.js'
import { toolOf } from '../database/migration-tools.js'
import { querySqlite, sqliteReader } from '../database/sqlite-reader.js'
import { openFiles, sqliteSideFile } from './open-files.js'
import { findServer, readRecord, type ServerFiles, type ServerRecord, writeRecord } from './server.js'
import { type SeenSqlite, sameDatabase, seenAs, seenSqlite } from './sqlite-seen.js'

/** What one read of a database found: its tables' names, and its migration tool's table, if any. */
interface Read {
  names: string[]
  migrationsTable?: string
}

/**
 * The last read of each file in this process (by path, device and inode): an `up` in which
 * nothing changed notes what its check read, without reading again (on Node 20 a read starts
 * the sqlite3 command).
 */
const readByCheck = new Map<string, Read>()
const readKey = (seen: Pick<SeenSqlite, 'file' | 'dev' | 'ino'>) => `${seen.file}\0${seen.dev}\0${seen.ino}`

async function readTables(seen: SeenSqlite, root: string): Promise<Read> {
  const tables = await sqliteReader(path.join(root, seen.file), seen.file).tables()
  const migrationsTable = tables.find((table) => toolOf(table, false))?.name
  const read = { names: namesOf(tables), ...(migrationsTable && { migrationsTable }) }
  readByCheck.set(readKey(seen), read)
  return read
}

async function migrationRows(seen: SeenSqlite, root: string, table: string): Promise<number> {
  const quoted = `"${table.replace(/"/g, '""')}"`
  const rows = await querySqlite(path.join(root, seen.file), seen.file, `SELECT count(*) AS n FROM ${quoted}`)
  return Number(rows[0]?.n ?? 0)
}

/** The app ran a migration since the note: its migration tool's table has more rows. */
async function migratedSince(seen: SeenSqlite, root: string, read: Read): Promise<boolean> {
  if (!read.migrationsTable) return false
  const rows = await migrationRows(seen, root, read.migrationsTable)
  const noted = seen.migrations?.table === read.migrationsTable ? seen.migrations.rows : 0
  return rows > noted
}

export interface LostTables {
  file: string
  missing: string[]
  noted: number
}

/**
 * The first file of the note whose noted tables are gone now, read only for files with tables
 * in the note that a member of the server still holds open as the same file.
 */
export async function lostTables(record: ServerRecord, root: string): Promise<LostTables | undefined> {
  const noted = seenSqlite(record).filter((seen) => seen.tables && seen.tables.length > 0)
  if (noted.length === 0) return undefined
  const asked = new Set<string>()
  for (const { pid, fd, file } of openFiles(serverMembers(record.pgid, record.marker), root)) {
    if (file.endsWith(' (deleted)') || sqliteSideFile(file)) continue
    const relative = path.relative(root, file)
    if (!noted.some((seen) => seen.file === relative)) continue
    const stat = statSync(`/proc/${pid}/fd/${fd}`, { throwIfNoEntry: false })
    const seen = stat && seenAs(noted, relative, stat)
    if (!seen || asked.has(readKey(seen))) continue
    asked.add(readKey(seen))
    const loss = await lossIn(seen, root)
    if (loss) return loss
  }
  return undefined
}

/**
 * With the server down (it died at boot on the missing table: uptime-kuma's "no such table:
 * setting"): the loss in the noted files that are still the same SQLite databases on disk.
 */
export async function lostTablesOnDisk(record: ServerRecord, root: string): Promise<LostTables | undefined> {
  for (const seen of seenSqlite(record)) {
    if (!seen.tables?.length || !sameDatabase(seen, root)) continue
    const loss = await lossIn(seen, root)
    if (loss) return loss
  }
  return undefined
}

async function lossIn(seen: SeenSqlite, root: string): Promise<LostTables | undefined> {
  const read = await readTables(seen, root)
  const now = new Set(read.names)
  const missing = seen.tables!.filter((name) => !now.has(name))
  if (missing.length === 0 || (await migratedSince(seen, root, read))) return undefined
  return { file: seen.file, missing, noted: seen.tables!.length }
}

/** The check's words: the loss, and what to do in the recipe's terms. */
export function lostTablesText(
  loss: LostTables,
  afterRestart: boolean,
  stepId: string,
): { reason: string; fix: string } {
  const what = describeLoss(loss.file, loss.missing, loss.noted, true)
  const them = loss.missing.length === 1 ? 'it' : 'them'
  const restore = `restore ${loss.file} from a backup`
  if (afterRestart)
    return {
      reason: `${what}; the app did not make ${them} again at boot: ${restore}, ${accept({ stepId })}`,
      fix: `${restore}; ${accept({ stepId })}`,
    }
  return {
    reason: what,
    fix: `\`devsetup up\` restarts the app, which may make ${them} again at boot; if it does not, ${restore}; ${accept({ stepId })}`,
  }
}

/**
 * The note's entry with the file's tables as they are now (the step's settle), or as it was:
 * a noted table still gone stays noted (red until it is back, or accepted), unless the app
 * migrated since; a file that cannot be read (emptied, or no reader) keeps what it had.
 * `reuse`: nothing changed in this run, so the check's read of the file is still the truth.
 */
export async function withTables(
  seen: SeenSqlite,
  root: string,
  reuse: boolean,
  owned: ReadonlySet<string> = new Set(),
): Promise<SeenSqlite> {
  // A file a `database` step names is that step's to note (lost-tables.ts): noted twice, one loss
  // needed two accepts (flame: `--force --only database`, then the restart still red).
  if (owned.has(seen.file)) return withoutTables(seen)
  if (!sameDatabase(seen, root)) return seen
  try {
    const read = (reuse && readByCheck.get(readKey(seen))) || (await readTables(seen, root))
    if (seen.tables) {
      const now = new Set(read.names)
      const missing = seen.tables.some((name) => !now.has(name))
      if (missing && !(await migratedSince(seen, root, read))) return seen
    }
    // Counted at every note (one query more for a file with a migration tool's table): a count
    // kept from before a migration that changed no table would pass a later loss as migrated.
    const table = read.migrationsTable
    const migrations =
      table === undefined ? undefined : { table, rows: await migrationRows(seen, root, table) }
    return { ...withoutTables(seen), tables: read.names, ...(migrations && { migrations }) }
  } catch {
    return seen
  }
}

/**
 * `up --force` accepts a loss: the note keeps its files without their tables, and the settle
 * notes them anew as they are now.
 */
export function acceptLostTables(files: ServerFiles): void {
  const record = readRecord(files)
  const seen = seenSqlite(record)
  if (record && seen.some((entry) => entry.tables))
    writeRecord(files, { ...record, sqlite: seen.map(withoutTables) })
}

/**
 * The verify after a restart: a noted table still gone from a database the new server holds
 * open was not made again at boot, and the step fails (the note, carried over the restart,
 * keeps it red until it is back or `up --force` accepts it).
 */
export async function tablesBack(
  files: ServerFiles,
  stepId: string,
): Promise<{ met: false; reason: string; fix: string } | undefined> {
  const record = readRecord(files)
  if (!record) return undefined
  const { running } = await findServer(files)
  const loss = running.some((server) => server.ours) ? await lostTables(record, files.root) : undefined
  return loss && { met: false, ...lostTablesText(loss, true, stepId) }
}

function withoutTables({ tables: _, migrations: __, ...seen }: SeenSqlite): SeenSqlite {
  return seen
}

/**
 * The SQLite files the recipe's `database` steps name, relative to the repository (read from the
 * root and from the restart's folder: a step's own `cwd:` is not in its config).
 */
export function databaseFiles(cfg: object, root: string, cwd: string): ReadonlySet<string> {
  const files = new Set<string>()
  for (const server of recipeServersOf(cfg)) {
    const target = (server.config as { target?: { engine?: string; file?: string } } | undefined)?.target
    if (server.type !== 'database' || target?.engine !== 'sqlite' || !target.file) continue
    for (const base of [root, cwd]) files.add(path.relative(root, path.resolve(base, target.file)))
  }
  return files
}
