// Reading a SQLite database with no native module in the bundle (a compiled driver would tie
// the package to one Node ABI and platform). Two real readers, tried in this order:
// - `node:sqlite`, built into Node from 22.5 (without a flag from 22.13/23.4): no process to start;
// - the system's `sqlite3` command (3.33+ for `-json`; Debian/Ubuntu `sqlite3`, macOS ships it),
//   the only one on Node 20, read-only (`-readonly`), ignoring ~/.sqliterc (`-init /dev/null`).
// With neither, reading fails with a message saying so: a check never guesses green.
import { execFile } from 'node:child_process'
import { DevsetupError } from '../../errors.js'
import type { DatabaseReader, Row, Table } from './server.js'

const cliTimeoutMs = 10_000

interface StatementSync {
  all(): Row[]
}
interface DatabaseSync {
  prepare(sql: string): StatementSync
  close(): void
}
type SqliteModule = { DatabaseSync: new (file: string, options?: object) => DatabaseSync }

let builtin: SqliteModule | undefined | null = null

/** node:sqlite when this Node has it (loaded once, without its "experimental" warning on stderr). */
function nodeSqlite(): SqliteModule | undefined {
  if (builtin !== null) return builtin
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule
  const emit = process.emitWarning
  // Node prints "ExperimentalWarning: SQLite is an experimental feature" once, on load: it is
  // not the user's business (devsetup only reads), and it would land in every `doctor`.
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (!/SQLite/.test(String(warning))) (emit as (...a: unknown[]) => void).call(process, warning, ...rest)
  }) as typeof process.emitWarning
  try {
    builtin = (get?.call(process, 'node:sqlite') as SqliteModule | undefined) ?? undefined
  } catch {
    builtin = undefined
  } finally {
    process.emitWarning = emit
  }
  return builtin
}

/** Runs one read-only query against `file`; `shown` is the path as the recipe names it. */
export async function querySqlite(file: string, shown: string, sql: string): Promise<Row[]> {
  const sqlite = nodeSqlite()
  if (sqlite) {
    let db: DatabaseSync | undefined
    try {
      db = new sqlite.DatabaseSync(file, { readOnly: true })
      return db.prepare(sql).all()
    } catch (error) {
      throw new DevsetupError(`cannot read ${shown} (node:sqlite): ${(error as Error).message}`)
    } finally {
      db?.close()
    }
  }
  return queryCli(file, shown, sql)
}

function queryCli(file: string, shown: string, sql: string): Promise<Row[]> {
  const args = ['-init', '/dev/null', '-readonly', '-json', '-cmd', '.timeout 2000', file, sql]
  return new Promise((resolve, reject) => {
    execFile(
      'sqlite3',
      args,
      { timeout: cliTimeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
          reject(
            new DevsetupError(
              `cannot read ${shown}: this Node (${process.version}) has no node:sqlite and there is no \`sqlite3\` command`,
              {
                hint: 'install the sqlite3 command (apt-get install sqlite3, brew install sqlite), or use Node 22.13 or newer',
              },
            ),
          )
        } else if (error) {
          const why = stderr.trim().split('\n').pop() || error.message
          reject(new DevsetupError(`cannot read ${shown} (sqlite3): ${why}`))
        } else {
          try {
            resolve(stdout.trim() === '' ? [] : (JSON.parse(stdout) as Row[]))
          } catch {
            reject(
              new DevsetupError(
                `cannot read ${shown}: \`sqlite3 -json\` printed no JSON (sqlite3 3.33 or newer needed)`,
              ),
            )
          }
        }
      },
    )
  })
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

/** A reader of the SQLite file's tables (each call one query). */
export function sqliteReader(file: string, shown: string): DatabaseReader {
  return {
    async tables(): Promise<Table[]> {
      const rows = await querySqlite(
        file,
        shown,
        `SELECT m.name AS name, group_concat(p.name, char(31)) AS columns FROM sqlite_master m
         JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         GROUP BY m.name ORDER BY m.name`,
      )
      return rows.map((r) => ({ name: String(r.name), columns: String(r.columns ?? '').split('\x1f') }))
    },
    rows: (table, columns) =>
      querySqlite(file, shown, `SELECT ${columns.map(quote).join(', ')} FROM ${quote(table.name)}`),
  }
}
