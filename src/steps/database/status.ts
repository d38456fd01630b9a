// The migrations part of the database step's check, in order: a SQLite file that `migrate`
// left without tables (the app writes its database elsewhere); the migration tool's own
// table (migrations.ts); and, for a tool devsetup does not know, the migrations fingerprint
// recorded after the last migrate, labelled as such.
import { statSync } from 'node:fs'
import { fingerprintFiles } from '../../engine/fingerprint.js'
import { DevsetupError } from '../../errors.js'
import type { CheckContext } from '../define.js'
import { checkByTool, type MigrationsCheck } from './migrations.js'
import type { DatabaseConfig } from './schema.js'
import type { DatabaseReader, Presence } from './server.js'
import { otherSqliteFiles, sqlitePath } from './sqlite.js'
import type { Target } from './target.js'

/** What state.json keeps after a successful migrate (never a URL: it may hold a password). */
export interface Migrated {
  target: string
  /** PostgreSQL oid or SQLite inode: a recreated database must be migrated again. */
  identity?: string | undefined
  hash?: string
}

export type Read = <T>(fn: (reader: DatabaseReader) => Promise<T>) => Promise<T>

export function databaseName(target: Target): string {
  return target.engine === 'sqlite' ? target.file : target.name
}

export function targetKey(target: Target, cwd: string): string {
  return target.engine === 'sqlite'
    ? `sqlite:${sqlitePath(target.file, cwd)}`
    : `${target.engine}://${target.host}:${target.port}/${target.name}`
}

/** `presence` is the probe's answer: the database's identity tells a recreated one. */
export async function migrationsStatus(
  cfg: DatabaseConfig,
  ctx: CheckContext,
  presence: Presence,
  read: Read,
): Promise<MigrationsCheck> {
  if (!presence.exists) return { current: false, reason: `database ${databaseName(cfg.target)} missing` }
  if (!cfg.migrate) return cfg.load ? loadStatus(cfg, ctx, read) : { current: true, reason: 'no migrate' }
  const byTool = await read(async (reader) => {
    const tables = await reader.tables()
    if (cfg.target.engine === 'sqlite' && tables.length === 0)
      return emptySqlite(cfg.target.file, ctx, presence.identity)
    if (!cfg.migrations) return undefined
    return checkByTool(reader, tables, {
      migrations: cfg.migrations,
      migrationsTable: cfg.migrationsTable,
      cwd: ctx.cwd,
      database: databaseName(cfg.target),
    })
  })
  return byTool ?? byFingerprint(cfg, ctx, presence.identity)
}

/**
 * A database whose schema only `load` builds (the app's own setup script, no migration tool): it
 * is set up when it has tables. No tables is never green, even right after `load` ran: the
 * command built them elsewhere (another file) or not at all.
 */
async function loadStatus(cfg: DatabaseConfig, ctx: CheckContext, read: Read): Promise<MigrationsCheck> {
  const count = await read(async (reader) => (await reader.tables()).length)
  const name = databaseName(cfg.target)
  if (count > 0)
    return { current: true, reason: `schema loaded (${count} table${count === 1 ? '' : 's'}; no migrate)` }
  if (ctx.phase !== 'verify')
    return { current: false, reason: `${name} has no tables: \`${cfg.load}\` builds them` }
  const fix = `make \`${cfg.load}\` create the app's tables in ${name}, or point the step at the database the app's config names`
  return { current: false, reason: `${name} has no tables after \`${cfg.load}\``, fix }
}

/**
 * A SQLite file with no tables after `migrate` ran: the app's own config points its migrate
 * at another file (a knexfile's DB_FILENAME, a config.json), and the app reads that one too.
 */
async function emptySqlite(
  file: string,
  ctx: CheckContext,
  identity: string | undefined,
): Promise<MigrationsCheck> {
  const size = statSync(sqlitePath(file, ctx.cwd)).size
  const what = `${file} has no tables${size === 0 ? ' (0 bytes)' : ''}`
  const recorded = ctx.state.get<Migrated>('migrated')
  // Migrated in this run, or this very file (same inode) by an earlier one.
  const migrated =
    ctx.phase === 'verify' ||
    (recorded?.target === `sqlite:${sqlitePath(file, ctx.cwd)}` && recorded.identity === identity)
  if (!migrated) return { current: false, reason: `${what}: not migrated yet` }
  const others = await otherSqliteFiles(ctx.cwd, sqlitePath(file, ctx.cwd))
  const found = others.length > 0 ? ` (SQLite files here: ${others.join(', ')})` : ''
  // An earlier run migrated this very file: it may have been emptied since (`: > db.sqlite`),
  // which migrating again repairs, or the migrate may write elsewhere, which that run says.
  if (ctx.phase !== 'verify')
    return {
      current: false,
      reason: `${what} though an earlier run migrated this same file: emptied since, or the app's migrate writes its database to another file${found}`,
    }
  const fix = `point the step's \`path\` at the file the app's config names (its knexfile, config.json or .env, e.g. a DB_FILENAME), not ${file}`
  return {
    current: false,
    reason: `${what} after \`migrate\`: the app's migrate wrote its database to another file${found}; ${fix}`,
    fix,
  }
}

/** Today's check for a migration tool devsetup does not know: the files, as at the last migrate. */
async function byFingerprint(
  cfg: DatabaseConfig,
  ctx: CheckContext,
  identity: string | undefined,
): Promise<MigrationsCheck> {
  const recorded = ctx.state.get<Migrated>('migrated')
  const name = databaseName(cfg.target)
  if (!recorded || recorded.target !== targetKey(cfg.target, ctx.cwd))
    return { current: false, reason: `${name} never migrated by devsetup` }
  if (identity && recorded.identity && identity !== recorded.identity)
    return { current: false, reason: `${name} was recreated since the last migrate` }
  if (!cfg.migrations) {
    // Nothing to compare: migrated means "migrated just now, in this run".
    return ctx.phase === 'verify'
      ? { current: true, reason: 'migrated' }
      : { current: false, reason: 'no `migrations` to compare: migrate runs on every up' }
  }
  const { hash, files } = await fingerprintFiles(cfg.migrations, ctx.cwd)
  if (hash !== recorded.hash)
    return {
      current: false,
      reason: `migrations changed since the last migrate (${cfg.migrations.join(', ')})`,
    }
  return {
    current: true,
    reason: `migrations current (${files} file${files === 1 ? '' : 's'}; checked by file fingerprint only: no migration table devsetup knows in ${name} lists these files)`,
  }
}

/**
 * A seed that empties the migration tool's table (a TRUNCATE of every table) leaves a database
 * whose next migrate replays every migration over tables that exist. That is the seed's doing,
 * and the failure says so rather than "N migrations not applied".
 */
export function seedUndidMigrations(
  before: MigrationsCheck,
  after: MigrationsCheck,
  seed: string,
): DevsetupError | undefined {
  if (!before.current || after.current) return undefined
  return new DevsetupError(
    `\`${seed}\` changed the migration tool's record: migrations were current before it, and after it ${after.reason}`,
    {
      hint: "the next migrate would replay them over tables that exist: make the seed leave the migration tool's table alone (it truncates or deletes from it), then run `devsetup up`",
    },
  )
}
