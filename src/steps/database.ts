// `database`: a development database that exists and is migrated, like `rails db:prepare`
// for any stack. The promise above all: re-running never destroys data. Nothing here issues
// DROP or TRUNCATE or deletes a file, and `seed` runs only against a database this run created.
import { fingerprintFiles } from '../engine/fingerprint.js'
import { DevsetupError } from '../errors.js'
import {
  checkWaitMs,
  ensureServer,
  guarded,
  hintFor,
  mask,
  probeWithWait,
  runCommand,
  startedServer,
} from './database/actions.js'
import { driverFor, readOf, sqliteRead } from './database/connect.js'
import { forgetTables, lostTablesStatus, noteTables, onLostTables } from './database/lost-tables.js'
import type { DatabaseConfig, schema } from './database/schema.js'
import { address, type DatabaseReader, type Presence, ServerProblem } from './database/server.js'
import { confinedSqlitePath, createSqlite, probeSqlite } from './database/sqlite.js'
import {
  databaseName,
  type Migrated,
  migrationsStatus,
  type Read,
  seedUndidMigrations,
  targetKey,
} from './database/status.js'
import { type CheckResult, defineStepBehavior } from './define.js'

const engineNames = { postgres: 'PostgreSQL', mysql: 'MySQL' } as const

/**
 * Databases this devsetup process created and has not tried to seed yet. A retry
 * (`retries:`) after a failed migrate finds the database existing, yet it is still the one
 * this run created: it must be seeded. Keyed by step, target and identity (inode, oid), so
 * a database recreated by someone else meanwhile is not taken for ours. A later run seeds
 * only the database an earlier run created and left unseeded (`createdUnseeded` in state),
 * never one that existed before devsetup made it.
 */
const seedPending = new Set<string>()
/** devsetup's own record of a database it created and has not seeded yet (see run). */
const unseededKey = 'createdUnseeded'

export const database = defineStepBehavior<typeof schema>({
  type: 'database',
  description: 'create, migrate and seed a development database (postgres, mysql, sqlite); never drops data',
  form: 'nested',
  title: ({ target }) =>
    target.engine === 'sqlite'
      ? `SQLite ${target.file}`
      : `${engineNames[target.engine]} ${target.name} on ${address(target)}`,

  async check(cfg, ctx): Promise<CheckResult> {
    const met: string[] = []
    let presence: Presence
    let read: Read
    try {
      if (cfg.target.engine === 'sqlite') {
        const file = confinedSqlitePath(cfg.target, ctx.root, ctx.cwd)
        presence = probeSqlite(file, cfg.target.file)
        read = sqliteRead(file, cfg.target.file)
      } else {
        const driver = await driverFor(cfg.target, ctx.env)
        presence = await probeWithWait(driver, checkWaitMs, ctx.signal)
        read = driver.read
        met.push(`server up at ${address(cfg.target)}`)
      }
    } catch (error) {
      if (!(error instanceof DevsetupError)) throw error
      return { met: false, reason: mask(cfg, error.message), ...fixFor(cfg, error) }
    }
    if (!presence.exists) {
      const reason = `database ${databaseName(cfg.target)} missing`
      return { met: false, reason: met.length > 0 ? `${reason} (${met.join(', ')})` : reason }
    }
    met.push(`database ${databaseName(cfg.target)} exists`)
    let migrations: Awaited<ReturnType<typeof migrationsStatus>>
    try {
      migrations = await migrationsStatus(cfg, ctx, presence, read)
      // Migrations current (or none): the tables an earlier `up` saw must still be there.
      if (migrations.current) migrations = (await lostTablesStatus(cfg, ctx, read)) ?? migrations
    } catch (error) {
      // A database devsetup cannot read is never green by guess: unmet, with what to do.
      if (!(error instanceof DevsetupError)) throw error
      return { met: false, reason: mask(cfg, error.message), ...fixFor(cfg, error) }
    }
    if (!migrations.current) {
      const fix = migrations.fix ?? (migrations.pending && cfg.migrate ? mask(cfg, cfg.migrate) : undefined)
      return { met: false, reason: mask(cfg, migrations.reason), ...(fix ? { fix } : {}) }
    }
    met.push(migrations.reason)
    return { met: true, reason: met.join(', ') }
  },

  async run(cfg, ctx) {
    const done: string[] = []
    const { target } = cfg
    const name = databaseName(target)
    const pendingKey = (presence: Presence) =>
      presence.exists ? [ctx.stepId, targetKey(target, ctx.cwd), presence.identity ?? ''].join('\0') : ''
    let created = false
    let pending: string | undefined
    let probe: () => Promise<Presence>
    let create: () => Promise<boolean>
    let read: Read
    // For a server, the probe that found it up already tells whether the database exists.
    let reached: Presence | undefined
    if (target.engine === 'sqlite') {
      const file = confinedSqlitePath(target, ctx.root, ctx.cwd)
      probe = async () => probeSqlite(file, target.file)
      create = async () => createSqlite(file, target.file)
      read = sqliteRead(file, target.file)
    } else {
      const driver = await driverFor(target, ctx.env)
      probe = () => driver.probe()
      create = () => driver.create()
      read = driver.read
      reached = await ctx.subtask(`server ${address(target)}`, () =>
        ensureServer(cfg, target, driver, ctx, done),
      )
    }
    // A run that created the database and stopped before seeding it (its migrate failed) left
    // this mark in devsetup's own state: the same database (same oid / inode) still gets its seed.
    let resumed = false
    await ctx.subtask(`database ${name}`, async () => {
      const before = reached ?? (await guarded(cfg, probe))
      if (before.exists) {
        const key = pendingKey(before)
        resumed = !seedPending.has(key) && ctx.state.get<string>(unseededKey) === key
        if (!seedPending.has(key) && !resumed) return
        created = true
        pending = key
        ctx.output(
          resumed
            ? `${name} was created by an earlier devsetup run that stopped before seeding it: it gets its seed now`
            : `${name} was created by an earlier attempt of this run: it still gets its seed`,
        )
        return
      }
      created = await guarded(cfg, create)
      if (created) done.push(`created ${name}`)
      else ctx.output(`${name} appeared meanwhile: not seeding it`)
    })
    if (created && cfg.seed && pending === undefined) {
      pending = pendingKey(await guarded(cfg, probe))
      seedPending.add(pending)
      ctx.state.persist(unseededKey, pending)
    }
    const notSeeded =
      created && cfg.seed
        ? `; ${name} was created by this run but not seeded yet: the next \`devsetup up\` seeds it once this is fixed`
        : ''
    // The engine runs this step when something was unmet, or with --force. When starting the
    // server was all it took, migrations already current are left alone; otherwise migrate.
    const startedOnly =
      done.length === 1 && done[0] === startedServer && !created
        ? (await guarded(cfg, async () => migrationsStatus(cfg, ctx, await probe(), read))).current
        : false
    // A database this run created is empty: its schema is loaded whole, never over one holding data.
    // Not over a database an earlier run left: migrations it applied may be all there is to keep.
    // A database with no tables at all holds nothing to lose either (a SQLite file the app
    // opened before its setup ran is 0 bytes): its schema is loaded too.
    const bare =
      !created && !resumed && cfg.load !== undefined && (await guarded(cfg, () => read(tablesIn))) === 0
    if ((created || bare) && cfg.load && !resumed) {
      const load = cfg.load
      await ctx.subtask('load schema', () => runCommand(cfg, ctx, load, notSeeded))
      done.push('loaded the schema')
    }
    if (cfg.migrate && !startedOnly) {
      const migrate = cfg.migrate
      await ctx.subtask('migrate', () => runCommand(cfg, ctx, migrate, notSeeded))
      done.push('migrated')
    }
    if (created && cfg.seed) {
      const seed = cfg.seed
      // Seeded at most once, even under `retries:`: a half-run seed is not run over again.
      if (pending !== undefined) seedPending.delete(pending)
      ctx.state.persist(unseededKey, undefined)
      const migrations = async () => guarded(cfg, async () => migrationsStatus(cfg, ctx, await probe(), read))
      const before = cfg.migrate ? await migrations() : undefined
      await ctx.subtask('seed', () =>
        runCommand(
          cfg,
          ctx,
          seed,
          `; ${name} exists now, so devsetup will not seed it again: after fixing it, run \`${seed}\` yourself`,
        ),
      )
      done.push('seeded')
      const undone = before && seedUndidMigrations(before, await migrations(), seed)
      if (undone) throw undone
    }
    const presence = await guarded(cfg, probe)
    // Dropped and created again by hand since the last migrate (another oid or inode: doctor said
    // "recreated since the last migrate"): its tables are new ones, the old note no loss.
    const was = ctx.state.get<Migrated>('migrated')
    const recreated =
      presence.exists &&
      was?.target === targetKey(target, ctx.cwd) &&
      was.identity !== undefined &&
      presence.identity !== undefined &&
      presence.identity !== was.identity
    if (created || recreated) forgetTables(ctx)
    else await guarded(cfg, () => onLostTables(cfg, ctx, read, done))
    if (presence.exists && cfg.migrate) {
      const record: Migrated = {
        target: targetKey(target, ctx.cwd),
        identity: presence.identity,
      }
      // Fingerprinted after migrate: a tool that writes into the globbed folder must not look "changed".
      if (cfg.migrations) record.hash = (await fingerprintFiles(cfg.migrations, ctx.cwd)).hash
      ctx.state.set('migrated', record)
    }
    // Steps with `when_changed: [db:created]` tell a new (empty) database from a migrated one.
    const changes = [
      created && 'created',
      done.includes('migrated') && 'migrated',
      done.includes('seeded') && 'seeded',
    ]
    return {
      summary: done.length > 0 ? done.join(', ') : 'checked',
      changes: changes.filter((c): c is string => c !== false),
    }
  },

  // The end of an `up` that left the step well (after the restart): the tables to compare with,
  // and a verdict that fails this `up` when a loss it reported is still there.
  settle: async (cfg, ctx) => guarded(cfg, () => noteTables(cfg, ctx, () => readOf(cfg, ctx))),

  // What up may run: start when unreachable, migrate, and seed only for a database it creates.
  preview: (cfg) =>
    [cfg.start, cfg.migrate, cfg.seed && `${cfg.seed}    # only if this run creates the database`].filter(
      (c): c is string => Boolean(c),
    ),

  lint: (cfg) =>
    cfg.migrate && !cfg.migrations
      ? [
          'has `migrate` but no `migrations`, so migrate runs on every `up`; add e.g. `migrations: db/migrations/**` to run it only when they change',
        ]
      : [],
})

const tablesIn = async (reader: DatabaseReader) => (await reader.tables()).length

function fixFor(cfg: DatabaseConfig, error: DevsetupError): Pick<CheckResult, 'fix'> {
  // With `start`, `devsetup up` itself is the fix (the engine's default hint).
  if (error instanceof ServerProblem && error.kind === 'unreachable' && cfg.start) return {}
  const fix = hintFor(cfg, error)
  return fix ? { fix: mask(cfg, fix) } : {}
}
