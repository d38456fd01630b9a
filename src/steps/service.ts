// `service`: a development server of this repository's own — PostgreSQL, Redis or MariaDB/MySQL — created in
// the user's state folder (never in the repository), on a port that is free when first chosen
// and then kept, listening on 127.0.0.1 only, and started whenever it is not running.
// The data folder is never deleted or re-initialised; `devsetup stop` stops these servers.
import path from 'node:path'
import { maskUrls } from '../engine/mask.js'
import { DevsetupError } from '../errors.js'
import { type CheckContext, type CheckResult, defineStepBehavior } from './define.js'
import {
  type ComposeService,
  composeRunning,
  composeServiceFor,
  composeUp,
  dockerProblem,
} from './service/compose.js'
import {
  generatedUrl,
  resolveWanted,
  type ServiceConfig,
  type ServiceEngine,
  type Wanted,
  WantedError,
} from './service/config.js'
import { accepted, refusal } from './service/foreign.js'
import { ensureMysql, inspectMysql } from './service/mysql.js'
import { readRecord, repoKey, serviceDir, writeRecord } from './service/paths.js'
import { isPortFree, pickPort } from './service/port.js'
import { holderOf } from './service/port-holder.js'
import { ensurePostgres, type Inspection, inspectPostgres } from './service/postgres.js'
import { ensureRedis, inspectRedis } from './service/redis.js'
import type { schema } from './service/schema.js'

const names: Record<ServiceEngine, string> = {
  postgres: 'PostgreSQL',
  redis: 'Redis',
  mysql: 'MySQL/MariaDB',
}
/** Where automatic ports start, per engine: below Linux's ephemeral range (32768+). */
const portBases: Record<ServiceEngine, number> = { postgres: 24000, redis: 26000, mysql: 28000 }

interface Setup {
  dir: string
  wanted: Wanted
  /** The recipe's port, else the one recorded for this repository; undefined before the first run. */
  port: number | undefined
}

function setup(cfg: ServiceConfig, ctx: CheckContext): Setup {
  const wanted = resolveWanted(cfg, ctx.env)
  const dir = serviceDir(ctx.root, ctx.env, cfg.engine)
  return { dir, wanted, port: wanted.port ?? readRecord(dir)?.port }
}

function inspect(cfg: ServiceConfig, s: Setup, ctx: CheckContext): Promise<Inspection> {
  if (cfg.engine === 'mysql') return inspectMysql(s.dir, s.port, s.wanted, cfg, ctx.env, ctx.exec)
  return cfg.engine === 'postgres'
    ? inspectPostgres(s.dir, s.port, s.wanted, cfg, ctx.env)
    : inspectRedis(s.dir, s.port, s.wanted, ctx.env)
}

/** The URL later steps get: the recipe's own when it has one, else the one devsetup made. */
function handedEnv(cfg: ServiceConfig, port: number, env: Record<string, string>): Record<string, string> {
  if (env[cfg.urlVar]) return {}
  return { [cfg.urlVar]: cfg.url ?? generatedUrl(cfg.engine, port) }
}

const withPort = (url: string, port: number) => {
  const u = new URL(url)
  u.port = String(port)
  return u.toString()
}

/**
 * A port someone else holds. The same engine taking the URL's own credentials is used as it is
 * (nothing recorded as this repository's, so `stop` never touches it); anything else is refused
 * with the holder, why it cannot be used, and a free port to use instead.
 */
async function portTaken(cfg: ServiceConfig, s: Setup, ctx: CheckContext): Promise<CheckResult | undefined> {
  if (s.port === undefined || (await isPortFree(s.port))) return undefined
  const holder = await holderOf(s.port, ctx.root)
  // Not another repository's devsetup server (it goes when `devsetup stop` runs there, as a
  // server that happened to answer at init time went), nor instead of this repository's own,
  // which holds its data.
  const own = readRecord(s.dir) !== undefined
  const refused = holder.otherRepository || own ? undefined : await refusal(cfg.engine, s.port, s.wanted)
  if (!holder.otherRepository && !own && !refused)
    return {
      met: true,
      reason: `${names[cfg.engine]} on 127.0.0.1:${s.port} is not devsetup's${holder.process ? ` (${holder.process})` : ''} but accepts ${accepted(cfg.engine, s.wanted)}: used as it is; \`devsetup stop\` leaves it alone`,
      env: handedEnv(cfg, s.port, ctx.env),
    }
  const free = await pickPort(repoKey(ctx.root), portBases[cfg.engine])
  // The URL it has, with only the port changed (its user, password and database kept), masked.
  const url = cfg.url ?? ctx.env[cfg.urlVar]
  const example = url ? maskUrls(withPort(url, free)) : generatedUrl(cfg.engine, free)
  const why = own
    ? ` (its data is in ${s.dir}: the other server is not used instead)`
    : refused
      ? `, and it cannot be used: ${maskUrls(refused.why)}`
      : ''
  const otherCredentials = refused?.sameEngine
    ? `; or give ${s.wanted.source} credentials that server takes (devsetup creates no user in a server that is not its own)`
    : ''
  return {
    met: false,
    reason: `port ${s.port} (from ${s.wanted.source}) is in use${holder.by || ' by another program'}, not by this repository's ${names[cfg.engine]}${why}`,
    fix: `give this repository a port of its own in ${s.wanted.source}, e.g. ${free}: ${example} — and wherever the app reads its own port (a DB_PORT/POSTGRES_PORT in its env file) — or stop what listens on ${s.port}${otherCredentials}`,
  }
}

interface Route {
  compose?: ComposeService
  /** Why a compose file's service is not used (no Docker engine): said in the reason. */
  note?: string
}

/** Docker Compose when the repository's compose file has the service and Docker runs; else local binaries. */
async function route(cfg: ServiceConfig, ctx: CheckContext): Promise<Route> {
  const compose = composeServiceFor(ctx.root, cfg)
  if (!compose) return {}
  const problem = await dockerProblem(ctx.exec)
  if (!problem) return { compose }
  return {
    note: `${path.basename(compose.file)} has \`${compose.service}\`, but ${problem}: using the local binaries`,
  }
}

const withNote = (text: string, r: Route) => (r.note ? `${text}; ${r.note}` : text)
const composeName = (c: ComposeService) => `docker compose service ${c.service} (${path.basename(c.file)})`

export const service = defineStepBehavior<typeof schema>({
  type: 'service',
  description:
    "a PostgreSQL, Redis or MariaDB/MySQL server of the repository's own, outside the tree, started when stopped",
  form: 'nested',
  title: (cfg) => `${names[cfg.engine]} server`,

  async check(cfg, ctx): Promise<CheckResult> {
    let s: Setup
    try {
      s = setup(cfg, ctx)
    } catch (error) {
      if (error instanceof WantedError) return { met: false, reason: error.message }
      throw error
    }
    const r = await route(cfg, ctx)
    if (r.compose) {
      const running = await composeRunning(ctx.exec, r.compose)
      return { met: running, reason: `${composeName(r.compose)} ${running ? 'running' : 'not running'}` }
    }
    const found = await inspect(cfg, s, ctx)
    // A running server whose record was lost still hands on its URL, with the port it runs on.
    const port = s.port ?? found.runningPort
    if (found.met && port !== undefined)
      return { ...found, reason: withNote(found.reason, r), env: handedEnv(cfg, port, ctx.env) }
    if (!found.met && found.runningPort === undefined) {
      const taken = await portTaken(cfg, s, ctx)
      if (taken) return { ...taken, reason: withNote(taken.reason, r) }
    }
    return { ...found, reason: withNote(found.reason, r) }
  },

  async run(cfg, ctx) {
    let s: Setup
    try {
      s = setup(cfg, ctx)
    } catch (error) {
      if (error instanceof WantedError) throw new DevsetupError(maskUrls(error.message))
      throw error
    }
    const r = await route(cfg, ctx)
    if (r.compose) {
      await composeUp(ctx.exec, r.compose)
      writeRecord(s.dir, {
        engine: cfg.engine,
        port: s.wanted.port ?? 0,
        repository: ctx.root,
        compose: r.compose,
      })
      return { summary: `started ${composeName(r.compose)}` }
    }
    const before = await inspect(cfg, s, ctx)
    if (before.runningPort === undefined) {
      const taken = await portTaken(cfg, s, ctx)
      if (taken?.met) {
        ctx.setEnv(taken.env ?? {})
        return { summary: taken.reason }
      }
      if (taken) throw new DevsetupError(taken.reason, taken.fix ? { hint: taken.fix } : {})
    }
    const port = s.port ?? before.runningPort ?? (await pickPort(repoKey(ctx.root), portBases[cfg.engine]))
    const result: { done: string[]; bin?: string } =
      cfg.engine === 'postgres'
        ? await ensurePostgres(s.dir, port, s.wanted, cfg, ctx.env, ctx.exec)
        : cfg.engine === 'mysql'
          ? await ensureMysql(s.dir, port, s.wanted, cfg, ctx.env, ctx.exec)
          : await ensureRedis(s.dir, port, s.wanted, ctx.env, ctx.exec)
    writeRecord(s.dir, {
      engine: cfg.engine,
      port,
      repository: ctx.root,
      ...(result.bin ? { bin: result.bin } : {}),
    })
    const handed = handedEnv(cfg, port, ctx.env)
    ctx.setEnv(handed)
    const url = handed[cfg.urlVar]
    const summary = [
      ...result.done,
      ...(url ? [`${cfg.urlVar}=${maskUrls(url)} for the later steps`] : []),
      ...(r.note ? [r.note] : []),
    ]
    return { summary: summary.length > 0 ? summary.join(', ') : 'checked' }
  },
})
