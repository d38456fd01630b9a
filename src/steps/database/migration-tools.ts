// What each migration tool records in the database, and how a migration file is named in
// that record. A tool is recognised by its table's name *and* columns: `schema_migrations`
// is Rails' or dbmate's (a row per version) or golang-migrate's (one row: the current
// version and a dirty flag), `migrations` is TypeORM's or Laravel's. A table the recipe names
// (`migrations_table`) is recognised by its columns alone (knex's `tableName`, a custom name).
import { createHash } from 'node:crypto'
import path from 'node:path'
import type { Row } from './server.js'

/** What the tool's rows say: which file keys are applied, and a problem the tool itself records. */
export interface Applied {
  /** Whether the file with this key is applied. */
  has(key: string): boolean
  /** How many migrations the table lists as applied. */
  count: number
  /** The applied keys, where the tool lists each (not golang-migrate's single version). */
  keys?: ReadonlySet<string>
  /** A failed, half-applied migration the tool recorded: nothing else matters until it is fixed. */
  problem?: string
}

export interface MigrationTool {
  /** As shown in reasons. */
  name: string
  /** The tables it creates unless configured otherwise. */
  tables: readonly string[]
  /** Columns its table has (and another tool's table of the same name has not). */
  columns: readonly string[]
  /**
   * The key of a migration file (path relative to the step's cwd); undefined: not a migration.
   * `near` reads another file relative to the step's cwd (undefined: there is none).
   */
  fileKey(file: string, read: () => Buffer, near: (file: string) => string | undefined): string | undefined
  applied(rows: Row[], table: string): Applied
}

const codeFile = /\.(?:[cm]?[jt]sx?|coffee)$/
const base = (file: string) => path.posix.basename(file)
/** The file name without its last extension: `20240101_users.js` -> `20240101_users`. */
const stem = (name: string) => base(name).replace(/\.[^.]+$/, '')
/** A numeric version prefix without leading zeros (`0003_x.sql` and `3` are the same version). */
const versionOf = (name: string) => /^(\d+)(?:[_.-]|$)/.exec(base(name))?.[1]?.replace(/^0+(?=\d)/, '')
const isCode = (file: string) => codeFile.test(file) && !/\.d\.[cm]?ts$/.test(file)

/** Tools whose table lists each applied migration in one column. */
function listed(column: string, key: (value: string) => string | undefined, when?: (r: Row) => boolean) {
  return (rows: Row[]): Applied => {
    const keys = new Set<string>()
    for (const row of rows) {
      const value = row[column]
      if (value === null || value === undefined || (when && !when(row))) continue
      const k = key(String(value))
      if (k !== undefined) keys.add(k)
    }
    return { has: (k) => keys.has(k), count: keys.size, keys }
  }
}

const truthy = (value: unknown) => value === true || value === 1 || value === '1' || value === 't'

/** drizzle-kit's meta/_journal.json: each entry's tag (its .sql file's stem) and `when`. */
function drizzleJournal(text: string | undefined): Map<string, string> | undefined {
  if (text === undefined) return undefined
  let entries: unknown
  try {
    entries = (JSON.parse(text) as { entries?: unknown }).entries
  } catch {
    return undefined
  }
  if (!Array.isArray(entries)) return undefined
  const tags = new Map<string, string>()
  for (const e of entries as { tag?: unknown; when?: unknown }[])
    if (typeof e?.tag === 'string' && (typeof e.when === 'number' || typeof e.when === 'string'))
      tags.set(e.tag, String(e.when))
  return tags
}

/** Most specific first: the first tool whose columns a table has is the one. */
export const migrationTools: readonly MigrationTool[] = [
  {
    name: 'golang-migrate',
    tables: ['schema_migrations'],
    columns: ['version', 'dirty'],
    fileKey: (file) => (/\.down\.sql$/.test(file) || !file.endsWith('.sql') ? undefined : versionOf(file)),
    applied(rows, table) {
      const row = rows[0]
      if (!row) return { has: () => false, count: 0 }
      const current = BigInt(String(row.version))
      return {
        has: (key) => BigInt(key) <= current,
        count: 1,
        ...(truthy(row.dirty)
          ? {
              problem: `${table} is dirty at version ${current}: that migration failed halfway; repair the database by hand, then \`migrate force <last good version>\``,
            }
          : {}),
      }
    },
  },
  {
    name: 'Rails / dbmate',
    tables: ['schema_migrations'],
    columns: ['version'],
    fileKey: (file) => versionOf(file),
    applied: listed('version', versionOf),
  },
  {
    name: 'goose',
    tables: ['goose_db_version'],
    columns: ['id', 'version_id', 'is_applied'],
    fileKey: (file) => (/\.(sql|go)$/.test(file) ? versionOf(file) : undefined),
    applied(rows) {
      // A log: a version is applied when its latest row (by id) says so.
      const keys = new Set<string>()
      for (const row of [...rows].sort((a, b) => Number(a.id) - Number(b.id))) {
        const version = String(row.version_id)
        if (version === '0') continue
        if (truthy(row.is_applied)) keys.add(version)
        else keys.delete(version)
      }
      return { has: (k) => keys.has(k), count: keys.size, keys }
    },
  },
  {
    name: 'Prisma',
    tables: ['_prisma_migrations'],
    columns: ['migration_name', 'finished_at', 'rolled_back_at'],
    // prisma/migrations/<name>/migration.sql: the folder is the migration.
    fileKey: (file) => (base(file) === 'migration.sql' ? base(path.posix.dirname(file)) : undefined),
    applied(rows, table) {
      const done = listed(
        'migration_name',
        (v) => v,
        (r) => r.finished_at != null && r.rolled_back_at == null,
      )(rows)
      const failed = rows.find((r) => r.finished_at == null && r.rolled_back_at == null)
      return failed
        ? {
            ...done,
            problem: `${table} records ${failed.migration_name} as failed (started, never finished): fix it, then \`prisma migrate resolve\``,
          }
        : done
    },
  },
  {
    name: 'Flyway',
    tables: ['flyway_schema_history'],
    columns: ['script', 'success'],
    fileKey: (file) => (/^[VR][^_]*__.+\.sql$/.test(base(file)) ? base(file) : undefined),
    applied: listed('script', base, (r) => truthy(r.success)),
  },
  {
    name: 'Drizzle',
    tables: ['__drizzle_migrations'],
    columns: ['hash', 'created_at'],
    fileKey(file, read, near) {
      if (!file.endsWith('.sql')) return undefined
      const journal = drizzleJournal(near(path.posix.join(path.posix.dirname(file), 'meta/_journal.json')))
      // No journal (hand-made folder, old drizzle): the sha256 of the file's text, which it records too.
      if (!journal) return createHash('sha256').update(read().toString()).digest('hex')
      // drizzle-kit migrates only the journal's entries (`<tag>.sql`): a .sql it does not list is none.
      const when = journal.get(stem(file))
      return when === undefined ? undefined : `when:${when}`
    },
    applied(rows) {
      // created_at is the journal entry's `when`, and the migrator compares only that (it applies
      // the entries newer than the last row), so an edited, already applied file is still applied.
      const keys = new Set<string>()
      for (const row of rows) {
        if (row.hash != null) keys.add(String(row.hash))
        if (row.created_at != null) keys.add(`when:${String(row.created_at)}`)
      }
      return { has: (k) => keys.has(k), count: rows.length, keys }
    },
  },
  {
    name: 'Django',
    tables: ['django_migrations'],
    columns: ['app', 'name'],
    fileKey(file) {
      const parts = file.split('/')
      if (parts.length < 3 || parts.at(-2) !== 'migrations' || !/^\d+_.+\.py$/.test(parts.at(-1)!))
        return undefined
      return `${parts.at(-3)}/${stem(file)}`
    },
    applied: (rows) => listed('key', (v) => v)(rows.map((r) => ({ key: `${r.app}/${r.name}` }))),
  },
  {
    name: 'TypeORM',
    tables: ['migrations'],
    columns: ['timestamp', 'name'],
    // 1700000000000-CreateUsers.ts holds class CreateUsers1700000000000: the timestamp is the key.
    fileKey: (file) => (isCode(file) ? versionOf(file) : undefined),
    applied: listed('timestamp', (v) => v.replace(/^0+(?=\d)/, '')),
  },
  {
    name: 'Laravel',
    tables: ['migrations'],
    columns: ['migration', 'batch'],
    fileKey: (file) => (file.endsWith('.php') ? stem(file) : undefined),
    applied: listed('migration', stem),
  },
  {
    name: 'postgrator',
    tables: ['schemaversion'],
    columns: ['version', 'name', 'md5'],
    // 001.do.create-users.sql: the number before `.do.` is the version (`.undo.` files are not migrations).
    fileKey: (file) => /^0*(\d+)\.do\./.exec(base(file))?.[1],
    applied: listed('version', (v) => v.replace(/^0+(?=\d)/, '')),
  },
  {
    name: 'Kysely',
    tables: ['kysely_migration'],
    columns: ['name', 'timestamp'],
    // Kysely's FileMigrationProvider names a migration by its file name without the extension.
    fileKey: (file) => (isCode(file) ? stem(file) : undefined),
    applied: listed('name', stem),
  },
  {
    name: 'node-pg-migrate',
    tables: ['pgmigrations'],
    columns: ['name', 'run_on'],
    fileKey: (file) => (isCode(file) || file.endsWith('.sql') ? stem(file) : undefined),
    applied: listed('name', stem),
  },
  ...(
    [
      ['knex', 'knex_migrations'],
      ['AdonisJS', 'adonis_schema'],
      ['Sequelize', 'SequelizeMeta'],
      ['MikroORM', 'mikro_orm_migrations'],
    ] as const
  ).map(
    ([name, table]): MigrationTool => ({
      // knex and Sequelize record the file name, Adonis its path without the extension, MikroORM
      // the name without .js/.ts (its MigrationStorage.getMigrationName): compared without folder
      // and extension, so a .ts migration compiled to .js still matches.
      name,
      tables: [table],
      columns: ['name'],
      fileKey: (file) => (isCode(file) ? stem(file) : undefined),
      applied: listed('name', stem),
    }),
  ),
]

/** The tool a table belongs to: by name and columns, or (a table the recipe names) by columns alone. */
export function toolOf(
  table: { name: string; columns: string[] },
  named: boolean,
): MigrationTool | undefined {
  const columns = new Set(table.columns.map((c) => c.toLowerCase()))
  return migrationTools.find(
    (tool) =>
      (named || tool.tables.some((t) => t.toLowerCase() === table.name.toLowerCase())) &&
      tool.columns.every((c) => columns.has(c)),
  )
}
