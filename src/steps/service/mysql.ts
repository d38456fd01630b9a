// The `service: mysql` driver (MariaDB, or MySQL where those are the binaries): a data folder of
// this repository's own, initialised once, a server on its own port on 127.0.0.1 with its socket
// and pid file in that folder, and the URL's user (with its password) and database.
// Everything the server needs is in <folder>/my.cnf, so `mariadbd --defaults-file=<folder>/my.cnf`
// by hand brings the same server up.
import { spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Connection } from 'mysql2/promise'
import { findOnPath } from '../../engine/which.js'
import { DevsetupError } from '../../errors.js'
import type { Exec } from '../define.js'
import { assertReachable, giveTo, serverRunAs } from './as-user.js'
import type { ServiceConfig, Wanted } from './config.js'
import {
  configuredPort,
  dataState,
  findServer,
  installData,
  mysqlPaths,
  type Paths,
  type Server,
  serverPid,
  writeConfig,
} from './mysql-server.js'
import { makeDirs } from './paths.js'
import type { Inspection } from './postgres.js'
import { lastLogLines } from './server-files.js'

/** A connection as the server's root over its socket (root@localhost has no password: local, 127.0.0.1 only). */
async function admin(p: Paths): Promise<Connection> {
  const mysql = (await import('mysql2/promise')).default
  const connection = await mysql.createConnection({
    socketPath: p.socket,
    user: 'root',
    connectTimeout: 3000,
  })
  connection.on('error', () => {})
  return connection
}

async function withAdmin<T>(p: Paths, use: (c: Connection) => Promise<T>): Promise<T> {
  const connection = await admin(p)
  try {
    return await use(connection)
  } finally {
    await connection.end().catch(() => {})
  }
}

const userOf = (wanted: Wanted) => wanted.user ?? 'root'

/** What is missing inside the server: the URL's user (as 'user'@'%'), and its database when asked for. */
async function missingObjects(c: Connection, wanted: Wanted, cfg: ServiceConfig): Promise<string[]> {
  const missing: string[] = []
  const [users] = await c.query("SELECT 1 FROM mysql.user WHERE User = ? AND Host = '%'", [userOf(wanted)])
  if ((users as unknown[]).length === 0) missing.push(`user ${userOf(wanted)}`)
  if (cfg.createDatabase && wanted.database) {
    const [dbs] = await c.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
      wanted.database,
    ])
    if ((dbs as unknown[]).length === 0) missing.push(`database ${wanted.database}`)
  }
  return missing
}

export async function inspectMysql(
  dir: string,
  port: number | undefined,
  wanted: Wanted,
  cfg: ServiceConfig,
  env: Record<string, string>,
  exec: Exec,
): Promise<Inspection> {
  let server: Server
  try {
    server = await findServer(env, exec)
  } catch (error) {
    if (!(error instanceof DevsetupError)) throw error
    return { met: false, reason: error.message, ...(error.hint ? { fix: error.hint } : {}) }
  }
  const p = mysqlPaths(dir)
  const what = server.product
  const state = dataState(p.data)
  if (state === 'foreign')
    return {
      met: false,
      reason: `${p.data} holds files but no MySQL data (no mysql/): devsetup does not touch it`,
    }
  if (state === 'none')
    return { met: false, reason: `${what}: no data folder yet (devsetup creates ${p.data})` }
  const pid = serverPid(p)
  const runningPort = pid === undefined ? undefined : configuredPort(p)
  if (pid === undefined || runningPort === undefined)
    return { met: false, reason: `${what} stopped (data: ${p.data})` }
  if (port !== undefined && runningPort !== port)
    return {
      met: false,
      reason: `${what} runs on port ${runningPort}, the recipe wants ${port}`,
      runningPort,
    }
  try {
    const missing = await withAdmin(p, (c) => missingObjects(c, wanted, cfg))
    if (missing.length > 0)
      return { met: false, reason: `${what} running, ${missing.join(' and ')} missing`, runningPort }
  } catch (error) {
    return {
      met: false,
      reason: `${what} (pid ${pid}) does not answer: ${(error as Error).message}`,
      runningPort,
    }
  }
  return { met: true, reason: `${what} running on 127.0.0.1:${runningPort} (data: ${p.data})`, runningPort }
}

/** Starts the server in a process group of its own (it outlives devsetup), waiting until it answers. */
async function startServer(p: Paths, server: Server): Promise<void> {
  const child = spawn(server.bin, [`--defaults-file=${p.cnf}`], {
    cwd: p.dir,
    detached: true,
    stdio: 'ignore',
  })
  child.on('error', () => {})
  child.unref()
  let exited = false
  child.once('exit', () => {
    exited = true
  })
  await untilAnswering(p, server, () => exited)
}

/** Waits (up to 60s) until the server answers on its socket; `exited`: it is known to have died. */
async function untilAnswering(p: Paths, server: Server, exited: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !exited(); i++) {
    try {
      await withAdmin(p, (c) => c.query('SELECT 1'))
      return
    } catch {
      await sleep(100)
    }
  }
  throw new DevsetupError(
    `${server.product} did not ${exited() ? 'start' : 'answer within 60s'}: ${lastLogLines(p.log)}`,
    { hint: `read ${p.log}` },
  )
}

/** Creates the data folder when there is none, starts the server on `port`, and adds the URL's user and database. */
export async function ensureMysql(
  dir: string,
  port: number,
  wanted: Wanted,
  cfg: ServiceConfig,
  env: Record<string, string>,
  exec: Exec,
): Promise<{ done: string[] }> {
  const server = await findServer(env, exec)
  const p = mysqlPaths(dir)
  const as = serverRunAs(await findOnPath('runuser', env), 'MariaDB')
  const done: string[] = []
  const state = dataState(p.data)
  if (state === 'foreign')
    throw new DevsetupError(
      `${p.data} holds files but no MySQL data (no mysql/): devsetup does not touch it`,
      {
        hint: `move it away if it is not needed, then run devsetup again (it will create a new data folder there)`,
      },
    )
  makeDirs(p.dir)
  assertReachable(p.dir, as)
  giveTo(p.dir, as)
  makeDirs(p.tmp)
  giveTo(p.tmp, as)
  const running = serverPid(p)
  const runningPort = running === undefined ? undefined : configuredPort(p)
  if (running !== undefined && runningPort !== port) {
    await stopMysql(dir)
    done.push(`stopped it on port ${runningPort}`)
  }
  if (running === undefined || runningPort !== port) {
    // As root the server drops to the `mysql` user (--user in my.cnf), which owns the data.
    writeConfig(p, port, as.name)
    if (state === 'none') {
      await installData(p, server, exec)
      done.push(`created a ${server.product} data folder in ${p.data}`)
    }
    await startServer(p, server)
    done.push(`started on 127.0.0.1:${port}`)
  } else {
    // Running, maybe still starting (a run killed right after it started the server).
    await untilAnswering(p, server, () => serverPid(p) === undefined)
  }
  await withAdmin(p, async (c) => {
    // The install script also makes password-less root@127.0.0.1/::1/<host>, which would shadow
    // the URL's root@'%' (and its password) over TCP: root over TCP is the URL's alone. On every
    // set-up, not only the first: a first run killed between the start and here left them.
    const [rows] = await c.query(
      "SELECT User, Host FROM mysql.user WHERE User = 'root' AND Host NOT IN ('localhost', '%') AND authentication_string = ''",
    )
    for (const r of rows as { User: string; Host: string }[]) await c.query('DROP USER ?@?', [r.User, r.Host])
    for (const missing of await missingObjects(c, wanted, cfg)) {
      if (missing.startsWith('user ')) {
        // All privileges: it is this repository's own local server, and the `database` step creates databases.
        const password = wanted.password ?? ''
        await c.query("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", [userOf(wanted), password])
        await c.query("GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION", [userOf(wanted)])
      } else {
        await c.query(`CREATE DATABASE IF NOT EXISTS \`${wanted.database!.replace(/`/g, '``')}\``)
      }
      done.push(`created ${missing}`)
    }
  })
  return { done }
}

/** SIGTERM (InnoDB flushes, then the server exits) and wait; resolves false when it was not running. */
export async function stopMysql(dir: string): Promise<boolean> {
  const p = mysqlPaths(dir)
  const pid = serverPid(p)
  if (pid === undefined) return false
  process.kill(pid, 'SIGTERM')
  // Gone, or a zombie its new parent has not reaped yet (no command line): either way stopped.
  const stopped = () => serverPid(p) !== pid
  for (let i = 0; i < 300 && !stopped(); i++) await sleep(100)
  if (!stopped()) throw new DevsetupError(`the MySQL/MariaDB server (pid ${pid}) did not stop within 30s`)
  return true
}
