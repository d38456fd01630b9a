// Tables the database had when an `up` last left the step well, against the tables it has now.
// "The database exists" and "the migration tool's record says every migration is applied" both
// stay true after a DROP TABLE, while the app answers "relation … does not exist": only the
// database's own list of tables tells. The note lives in the step's record in the state folder
// and is taken at the end of `up` (settle), after the restart: an app that makes its schema at
// boot (sequelize.sync, TypeORM synchronize) has made its tables by then.
//
// A loss stays red while the app is broken by it. The `up` that finds it says so (with migrate:
// exit 1, since migrate cannot bring back what its record says is applied; without: the restart
// after the step restarts the app, which makes its tables again, and if it does not, that same
// `up` fails at its end — the step's settle gives the verdict — and so does every `up` after it).
// Only the developer's word accepts a loss: `up --force` notes the tables as they are now; so do
// a re-created database and a migration applied since. Nothing here drops.
import { fingerprintFiles } from '../../engine/fingerprint.js'
import { DevsetupError } from '../../errors.js'
import type { CheckContext, RunContext, SettleVerdict } from '../define.js'
import type { MigrationsCheck } from './migrations.js'
import type { DatabaseConfig } from './schema.js'
import type { Table } from './server.js'
import { databaseName, type Read, targetKey } from './status.js'

/** The step's record of its tables (names only: never a URL, which may hold a password). */
export interface TablesNote {
  target: string
  names: string[]
  /** The `migrations:` files' fingerprint then: a migration applied since may drop a table. */
  migrations?: string
}

const noteKey = 'tables'
/** Tables an `up` found gone and reported (red until they are back, or `up --force` accepts their loss). */
const lostKey = 'tablesLost'
/** A few thousand names keep state.json small on a schema with very many tables. */
const maxNames = 5000

/** Qualified by schema only outside PostgreSQL's `public`: `tutorials`, `audit.events`. */
export function namesOf(tables: readonly Table[]): string[] {
  const names = tables.map((t) => (t.schema && t.schema !== 'public' ? `${t.schema}.${t.name}` : t.name))
  return [...new Set(names)].slice(0, maxNames)
}

const currentNames = (read: Read) => read(async (reader) => namesOf(await reader.tables()))

/**
 * The tables this process's last check of a step saw. An `up` in which nothing changed ends
 * with the database as its checks found it: the note is taken from them, without reading again
 * (on Node 20 a SQLite read starts the sqlite3 command).
 */
const seenByCheck = new Map<string, string[]>()
const seenKey = (cfg: DatabaseConfig, ctx: CheckContext) => `${ctx.stepId}\0${targetKey(cfg.target, ctx.cwd)}`

const migrationsHash = async (cfg: DatabaseConfig, cwd: string) =>
  cfg.migrations ? (await fingerprintFiles(cfg.migrations, cwd)).hash : undefined

async function noteOf(cfg: DatabaseConfig, ctx: CheckContext, names: string[]): Promise<TablesNote> {
  const migrations = await migrationsHash(cfg, ctx.cwd)
  return { target: targetKey(cfg.target, ctx.cwd), names, ...(migrations && { migrations }) }
}

const isNames = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((name) => typeof name === 'string')

function reportedLost(ctx: CheckContext): string[] {
  const lost = ctx.state.get<unknown>(lostKey)
  return isNames(lost) ? lost : []
}

interface Loss {
  missing: string[]
  noted: number
  /** Every missing table was reported by an earlier `up` (or by this run, in its verify). */
  reported: boolean
}

/** The noted tables that are gone now; undefined when nothing is noted for this database. */
async function lossIn(cfg: DatabaseConfig, ctx: CheckContext, read: Read): Promise<Loss | undefined> {
  const note = ctx.state.get<TablesNote>(noteKey)
  // A record of another shape (an older devsetup, a hand edit) is no note: nothing to compare.
  if (note?.target !== targetKey(cfg.target, ctx.cwd) || !isNames(note.names) || note.names.length === 0)
    return undefined
  const names = await currentNames(read)
  seenByCheck.set(seenKey(cfg, ctx), names)
  const now = new Set(names)
  const missing = note.names.filter((name) => !now.has(name))
  if (missing.length === 0) return undefined
  // A migration written and applied since (by hand) may drop a table on purpose: the next `up` notes anew.
  if (note.migrations && note.migrations !== (await migrationsHash(cfg, ctx.cwd))) return undefined
  const lost = new Set(reportedLost(ctx))
  return { missing, noted: note.names.length, reported: missing.every((name) => lost.has(name)) }
}

function describe(cfg: DatabaseConfig, loss: Loss): string {
  return describeLoss(databaseName(cfg.target), loss.missing, loss.noted)
}

/**
 * The loss in words: all of `database`'s noted tables gone, or some of them. `named`: the
 * reader does not know which database (the restart step's note of the files the app holds open).
 */
export function describeLoss(database: string, missing: readonly string[], noted: number, named = false) {
  const one = missing.length === 1
  if (missing.length === noted)
    return `the database ${database} has lost all its tables (${noted} noted at the last \`up\`: ${listed(missing)}): the app's data in ${one ? 'it' : 'them'} is lost`
  return `${one ? 'table' : 'tables'} ${listed(missing)} ${one ? 'is' : 'are'} gone${named ? ` from ${database}` : ''} since the last \`up\` (${missing.length} of ${noted} tables missing): the app's data in ${one ? 'it' : 'them'} is lost`
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ')
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown
}

const restore =
  'restore them from a backup, or drop and re-create the database yourself (devsetup never drops)'
// Only this step: a bare `up --force` also re-runs every other step (a runtime install, npm ci).
export const accept = (ctx: Pick<CheckContext, 'stepId'>) =>
  `or, if the loss is meant: \`devsetup up --force --only ${ctx.stepId}\` accepts it and notes the tables as they are now`

/** The check's part: undefined when no noted table is gone. */
export async function lostTablesStatus(
  cfg: DatabaseConfig,
  ctx: CheckContext,
  read: Read,
): Promise<MigrationsCheck | undefined> {
  const loss = await lossIn(cfg, ctx, read)
  if (!loss) return undefined
  const reason = describe(cfg, loss)
  // This run just restarted nothing yet: the restart after this step gives the app its boot.
  if (ctx.phase === 'verify' && !cfg.migrate && loss.reported)
    return { current: true, reason: `${reason}; the restart after this step lets the app make them at boot` }
  if (loss.reported && cfg.migrate)
    return { current: false, reason, fix: `${restore}, then \`devsetup up\` migrates it; ${accept(ctx)}` }
  if (loss.reported)
    return {
      current: false,
      reason: `${reason}; the app did not make them again when restarted`,
      fix: `${restore}; ${accept(ctx)}`,
    }
  if (cfg.migrate)
    return {
      current: false,
      reason: `${reason}; the migration tool's record still says every migration is applied, so migrate will not re-create them`,
      fix: `${restore}, then \`devsetup up\`; ${accept(ctx)}`,
    }
  return {
    current: false,
    reason,
    fix: '`devsetup up` restarts the app, which may make them again at boot (sequelize.sync, TypeORM synchronize); if it does not, `up` fails saying so',
  }
}

/** A database this run created holds none of the tables noted of the one before it (dropped, or a new server). */
export function forgetTables(ctx: RunContext): void {
  ctx.state.delete(noteKey)
  ctx.state.delete(lostKey)
}

/**
 * The run's part, after migrate: `--force` accepts a loss; with migrate, or when the app's
 * restart did not make them again, it fails the step; a new loss without migrate is left to
 * the restart after this step.
 */
export async function onLostTables(cfg: DatabaseConfig, ctx: RunContext, read: Read, done: string[]) {
  const loss = await lossIn(cfg, ctx, read)
  if (!loss) return
  if (ctx.forced) {
    ctx.state.set(noteKey, await noteOf(cfg, ctx, await currentNames(read)))
    ctx.state.delete(lostKey)
    done.push(`accepted the loss of ${listed(loss.missing)} (--force)`)
    return
  }
  if (loss.reported && !cfg.migrate)
    throw new DevsetupError(`${describe(cfg, loss)}; the app did not make them again when it was restarted`, {
      hint: `${restore}; ${accept(ctx)}`,
    })
  if (cfg.migrate) {
    // Kept although the step fails: the next doctor says it was reported.
    ctx.state.persist(lostKey, loss.missing)
    throw new DevsetupError(
      `${describe(cfg, loss)}; \`${cfg.migrate}\` ran and did not re-create them: the migration tool's record still says every migration is applied`,
      { hint: `${restore}, then \`devsetup up\`; ${accept(ctx)}` },
    )
  }
  ctx.state.set(lostKey, loss.missing)
  done.push(`${listed(loss.missing)} gone: the app is restarted to make its tables`)
}

/**
 * The end of an `up` that left the step well: note the tables as they are now. A table this run
 * found gone and that is still gone (the restart did not bring it back) stays noted, so the
 * next `doctor` is red and the next `up` fails, until it is back or `up --force` accepts it —
 * and this `up` fails too (the verdict): it said the restart would make them, and it did not.
 */
export async function noteTables(
  cfg: DatabaseConfig,
  ctx: CheckContext,
  read: () => Promise<Read>,
): Promise<SettleVerdict | undefined> {
  const seen = ctx.changes.thisRun.length === 0 ? seenByCheck.get(seenKey(cfg, ctx)) : undefined
  const names = seen ?? (await currentNames(await read()))
  const now = new Set(names)
  const stillLost = reportedLost(ctx).filter((name) => !now.has(name))
  ctx.state.set(noteKey, await noteOf(cfg, ctx, [...names, ...stillLost]))
  if (stillLost.length === 0) {
    ctx.state.delete(lostKey)
    return undefined
  }
  ctx.state.set(lostKey, stillLost)
  // The step ran in this run: it reported the loss and left it to the restart (onLostTables).
  if (!ctx.changes.thisRun.includes(ctx.stepId)) return undefined
  const one = stillLost.length === 1
  return {
    reason: `after the restart, ${one ? 'table' : 'tables'} ${listed(stillLost)} ${one ? 'is' : 'are'} still gone: the app did not make ${one ? 'it' : 'them'} again at boot, and the app's data in ${one ? 'it' : 'them'} is lost`,
    hint: `${restore}; ${accept(ctx)}`,
  }
}
