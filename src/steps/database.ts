// `database`: a development database that exists and is migrated, like `rails db:prepare`
// for any stack. The promise above all: re-running never destroys data. Nothing here issues
// DROP or TRUNCATE or deletes a file, and `seed` runs only against a database this run created.
import { fingerprintFiles } from '../engine/fingerprint.js'
import { DevsetupError } from '../errors.js'
import {
  checkWaitMs,
  ensureServer,
  guarded,
  mask,
  probeWithWait,
  runCommand,
  startedServer,
} from './database/actions.js'
import { mysqlDriver } from './database/mysql.js'
import { postgresDriver } from './database/postgres.js'
import type { DatabaseConfig, ServerTarget, schema, Target } from './database/schema.js'
import { address, type Presence, type ServerDriver, ServerProblem } from './database/server.js'
import { createSqlite, probeSqlite, sqlitePath } from './database/sqlite.js'
import { type CheckContext, type CheckResult, defineStepBehavior } from './define.js'

/** What state.json keeps after a successful migrate (never a URL: it may hold a password). */
interface Migrated {
  target: string
  /** PostgreSQL oid or SQLite inode: a recreated database must be migrated again. */
  identity?: string | undefined
  hash?: string
}

const engineNames = { postgres: 'PostgreSQL', mysql: 'MySQL' } as const

/**
 * Databases this devsetup process created and has not tried to seed yet. A retry
 * (`retries:`) after a failed migrate finds the database existing, yet it is still the one
 * this run created: it must be seeded. Keyed by step, target and identity (inode, oid), so
 * a database recreated by someone else meanwhile is not taken for ours. In memory only:
 * a later run never seeds a database that existed before it.
 */
const seedPending = new Set<string>()

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
    try {
      if (cfg.target.engine === 'sqlite') {
        presence = probeSqlite(sqlitePath(cfg.target.file, ctx.cwd), cfg.target.file)
      } else {
        const driver = await driverFor(cfg.target, ctx.env)
        presence = await probeWithWait(driver, checkWaitMs, ctx.signal)
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
    const migrations = await migrationsStatus(cfg, ctx, presence)
    if (!migrations.current) return { met: false, reason: migrations.reason }
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
    // For a server, the probe that found it up already tells whether the database exists.
    let reached: Presence | undefined
    if (target.engine === 'sqlite') {
      const file = sqlitePath(target.file, ctx.cwd)
      probe = async () => probeSqlite(file, target.file)
      create = async () => createSqlite(file, target.file)
    } else {
      const driver = await driverFor(target, ctx.env)
      probe = () => driver.probe()
      create = () => driver.create()
      reached = await ctx.subtask(`server ${address(target)}`, () =>
        ensureServer(cfg, target, driver, ctx, done),
      )
    }
    await ctx.subtask(`database ${name}`, async () => {
      const before = reached ?? (await guarded(cfg, probe))
      if (before.exists) {
        if (!seedPending.has(pendingKey(before))) return
        created = true
        pending = pendingKey(before)
        ctx.output(`${name} was created by an earlier attempt of this run: it still gets its seed`)
        return
      }
      created = await guarded(cfg, create)
      if (created) done.push(`created ${name}`)
      else ctx.output(`${name} appeared meanwhile: not seeding it`)
    })
    if (created && cfg.seed && pending === undefined) {
      pending = pendingKey(await guarded(cfg, probe))
      seedPending.add(pending)
    }
    const notSeeded =
      created && cfg.seed
        ? `; ${name} was created by this run but not seeded: after fixing it, seed it yourself with \`${cfg.seed}\``
        : ''
    // The engine runs this step when something was unmet, or with --force. When starting the
    // server was all it took, migrations already current are left alone; otherwise migrate.
    const startedOnly =
      done.length === 1 && done[0] === startedServer && !created
        ? (await migrationsStatus(cfg, ctx, await guarded(cfg, probe))).current
        : false
    if (cfg.migrate && !startedOnly) {
      const migrate = cfg.migrate
      await ctx.subtask('migrate', () => runCommand(cfg, ctx, migrate, notSeeded))
      done.push('migrated')
    }
    if (created && cfg.seed) {
      const seed = cfg.seed
      // Seeded at most once, even under `retries:`: a half-run seed is not run over again.
      if (pending !== undefined) seedPending.delete(pending)
      await ctx.subtask('seed', () =>
        runCommand(
          cfg,
          ctx,
          seed,
          `; ${name} exists now, so devsetup will not seed it again: after fixing it, run \`${seed}\` yourself`,
        ),
      )
      done.push('seeded')
    }
    const presence = await guarded(cfg, probe)
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

async function driverFor(target: ServerTarget, env: Record<string, string>): Promise<ServerDriver> {
  return target.engine === 'postgres' ? postgresDriver(target, env) : mysqlDriver(target, env)
}

function databaseName(target: Target): string {
  return target.engine === 'sqlite' ? target.file : target.name
}

function targetKey(target: Target, cwd: string): string {
  return target.engine === 'sqlite'
    ? `sqlite:${sqlitePath(target.file, cwd)}`
    : `${target.engine}://${target.host}:${target.port}/${target.name}`
}

function fixFor(cfg: DatabaseConfig, error: DevsetupError): Pick<CheckResult, 'fix'> {
  // With `start`, `devsetup up` itself is the fix (the engine's default hint).
  if (error instanceof ServerProblem && error.kind === 'unreachable' && cfg.start) return {}
  return error.hint ? { fix: mask(cfg, error.hint) } : {}
}

async function migrationsStatus(
  cfg: DatabaseConfig,
  ctx: CheckContext,
  presence: Presence,
): Promise<{ current: boolean; reason: string }> {
  if (!presence.exists) return { current: false, reason: `database ${databaseName(cfg.target)} missing` }
  if (!cfg.migrate) return { current: true, reason: 'no migrate' }
  const recorded = ctx.state.get<Migrated>('migrated')
  if (!recorded || recorded.target !== targetKey(cfg.target, ctx.cwd))
    return { current: false, reason: `${databaseName(cfg.target)} never migrated by devsetup` }
  if (presence.identity && recorded.identity && presence.identity !== recorded.identity)
    return { current: false, reason: `${databaseName(cfg.target)} was recreated since the last migrate` }
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
  return { current: true, reason: `migrations current (${files} file${files === 1 ? '' : 's'})` }
}
