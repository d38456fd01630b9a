// The `service: postgres` driver: a cluster of this repository's own, on its own port,
// listening on 127.0.0.1, with the role (and database) the recipe's URL names.
import path from 'node:path'
import { findOnPath } from '../../engine/which.js'
import { DevsetupError } from '../../errors.js'
import type { Exec } from '../define.js'
import { assertReachable, giveTo, type RunAs, serverRunAs } from './as-user.js'
import type { ServiceConfig, Wanted } from './config.js'
import { makeDirs } from './paths.js'
import { type PgInstall, pgInstallHint, pgInstalls } from './pg-bin.js'
import {
  type ClusterPaths,
  clearZombieLock,
  clusterPaths,
  clusterState,
  postmaster,
  startCluster,
  stopCluster,
} from './pg-cluster.js'
import { initCluster, neverFinished, setAside, writeSettings } from './pg-init.js'

export interface Inspection {
  met: boolean
  reason: string
  fix?: string
  /** The port the server runs on, when it runs (whatever it answers). */
  runningPort?: number
}

interface Plan {
  paths: ClusterPaths
  install: PgInstall
}

/** Which binaries serve this cluster: the cluster's own major, else the wanted or newest one. */
async function plan(dir: string, cfg: ServiceConfig, env: Record<string, string>): Promise<Plan> {
  const paths = clusterPaths(dir)
  const state = clusterState(paths.data)
  if (state.kind === 'foreign')
    throw new DevsetupError(`${state.why}: devsetup does not touch it`, {
      hint: `move it away if it is not needed, then run devsetup again (it will create a new cluster in ${paths.data})`,
    })
  const installs = await pgInstalls(env)
  const major = state.kind === 'cluster' ? state.major : cfg.version
  const install = major ? installs.find((i) => i.major === major) : installs[0]
  if (install) return { paths, install }
  if (state.kind === 'cluster') {
    const newest = installs[0]
    const upgrade = newest
      ? `; or upgrade it to ${newest.major}: stop it, initdb a new cluster, then \`${path.join(newest.bin, 'pg_upgrade')} -b <PostgreSQL ${major}'s bin folder> -B ${newest.bin} -d ${paths.data} -D <the new cluster>\``
      : ''
    throw new DevsetupError(
      `this repository's cluster (${paths.data}) is PostgreSQL ${major}, and PostgreSQL ${major}'s binaries are not installed${newest ? ` (found ${installs.map((i) => i.major).join(', ')})` : ''}; devsetup leaves it as it is`,
      { hint: `${pgInstallHint(major)} to keep using it${upgrade}` },
    )
  }
  const found = installs.length > 0 ? ` (found ${installs.map((i) => i.major).join(', ')})` : ''
  throw new DevsetupError(
    `PostgreSQL ${major ?? ''} server binaries (initdb, pg_ctl) not found${found}`.replace('  ', ' '),
    {
      hint: pgInstallHint(major),
    },
  )
}

async function query<T>(port: number, sql: string): Promise<T[]> {
  const pg = (await import('pg')).default
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: 3000,
    application_name: 'devsetup',
  })
  client.on('error', () => {})
  await client.connect()
  try {
    return (await client.query(sql)).rows as T[]
  } finally {
    await client.end().catch(() => {})
  }
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`

/** What is missing inside the server: the URL's role, and its database when asked for. */
async function missingObjects(port: number, wanted: Wanted, cfg: ServiceConfig): Promise<string[]> {
  const missing: string[] = []
  if (wanted.user && wanted.user !== 'postgres') {
    const rows = await query(port, `SELECT 1 FROM pg_roles WHERE rolname = ${literal(wanted.user)}`)
    if (rows.length === 0) missing.push(`role ${wanted.user}`)
  }
  if (cfg.createDatabase && wanted.database) {
    const rows = await query(port, `SELECT 1 FROM pg_database WHERE datname = ${literal(wanted.database)}`)
    if (rows.length === 0) missing.push(`database ${wanted.database}`)
  }
  return missing
}

export async function inspectPostgres(
  dir: string,
  port: number | undefined,
  wanted: Wanted,
  cfg: ServiceConfig,
  env: Record<string, string>,
): Promise<Inspection> {
  let p: Plan
  try {
    p = await plan(dir, cfg, env)
  } catch (error) {
    if (!(error instanceof DevsetupError)) throw error
    return { met: false, reason: error.message, ...(error.hint ? { fix: error.hint } : {}) }
  }
  const what = `PostgreSQL ${p.install.major}`
  if (clusterState(p.paths.data).kind === 'none')
    return { met: false, reason: `${what}: no cluster yet (devsetup creates one in ${p.paths.data})` }
  const running = postmaster(p.paths.data)
  if (!running) return { met: false, reason: `${what} stopped (data: ${p.paths.data})` }
  const runningPort = running.port
  if (port !== undefined && running.port !== port)
    return {
      met: false,
      reason: `${what} runs on port ${running.port}, the recipe wants ${port}`,
      runningPort,
    }
  try {
    const missing = await missingObjects(running.port, wanted, cfg)
    if (missing.length > 0)
      return { met: false, reason: `${what} running, ${missing.join(' and ')} missing`, runningPort }
  } catch (error) {
    return {
      met: false,
      reason: `${what} (pid ${running.pid}) does not answer: ${(error as Error).message}`,
      runningPort,
    }
  }
  // A cluster keeps its major version: a recipe asking for another one gets the way to upgrade, not a new cluster.
  const pinned =
    cfg.version && cfg.version !== p.install.major
      ? `; the recipe asks for ${cfg.version}, this cluster stays ${p.install.major} (to upgrade: pg_upgrade into a new cluster)`
      : ''
  return {
    met: true,
    reason: `${what} running on 127.0.0.1:${running.port} (data: ${p.paths.data})${pinned}`,
    runningPort,
  }
}

/** Creates the cluster when there is none, starts it on `port`, and adds the URL's role and database. */
export async function ensurePostgres(
  dir: string,
  port: number,
  wanted: Wanted,
  cfg: ServiceConfig,
  env: Record<string, string>,
  exec: Exec,
): Promise<{ done: string[]; bin: string }> {
  const p = await plan(dir, cfg, env)
  const as = serverRunAs(await findOnPath('runuser', env))
  const done: string[] = []
  makeDirs(p.paths.dir)
  assertReachable(p.paths.dir, as)
  giveTo(p.paths.dir, as)
  if (clusterState(p.paths.data).kind === 'cluster' && neverFinished(p.paths.data))
    done.push(setAside(p.paths))
  if (clusterState(p.paths.data).kind === 'none') {
    await initCluster(p.paths, p.install, as, exec)
    done.push(`created a PostgreSQL ${p.install.major} cluster in ${p.paths.data}`)
  }
  const running = postmaster(p.paths.data)
  if (running && running.port !== port) {
    await stopCluster(p.paths, p.install.bin, as, exec)
    done.push(`stopped it on port ${running.port}`)
  }
  if (!running || running.port !== port) {
    const cleared = process.platform === 'linux' && !running ? await clearZombieLock(p.paths.data) : undefined
    if (cleared) done.push(cleared)
    const repaired = writeSettings(p.paths, port)
    if (repaired) done.push(repaired)
    await startCluster(p.paths, p.install, as, exec)
    done.push(`started on 127.0.0.1:${port}`)
  }
  for (const missing of await missingObjects(port, wanted, cfg)) {
    if (missing.startsWith('role ')) {
      // Superuser: it is this repository's own local cluster, and migrations often CREATE EXTENSION.
      const password = wanted.password === undefined ? '' : ` PASSWORD ${literal(wanted.password)}`
      await query(port, `CREATE ROLE ${ident(wanted.user!)} LOGIN SUPERUSER${password}`)
    } else {
      const owner = wanted.user ? ` OWNER ${ident(wanted.user)}` : ''
      await query(port, `CREATE DATABASE ${ident(wanted.database!)}${owner}`)
    }
    done.push(`created ${missing}`)
  }
  return { done, bin: p.install.bin }
}

/** Stops the cluster when it runs; resolves false when it was not running. */
export async function stopPostgres(
  dir: string,
  bin: string | undefined,
  env: Record<string, string>,
  exec: Exec,
): Promise<boolean> {
  const paths = clusterPaths(dir)
  if (!postmaster(paths.data)) return false
  const state = clusterState(paths.data)
  const installs = await pgInstalls(env)
  const binDir = bin ?? installs.find((i) => state.kind === 'cluster' && i.major === state.major)?.bin
  if (!binDir) throw new DevsetupError(`cannot stop PostgreSQL in ${paths.data}: its pg_ctl is not installed`)
  await stopCluster(paths, binDir, serverRunAs(await findOnPath('runuser', env)), exec)
  return true
}

export type { RunAs }
