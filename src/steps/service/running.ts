// The services devsetup set up for a repository, for `devsetup ps` and `devsetup stop`: each
// found in its folder in the state folder, its pid read from the server's own pid file, and
// asked on its port in its own protocol (an open port alone could be anything).
import path from 'node:path'
import { processStartedAtMs } from '../../engine/processes.js'
import type { Exec } from '../define.js'
import type { Kept } from '../running.js'
import { type ComposeService, composeRunning, composeStop } from './compose.js'
import type { ServiceEngine } from './config.js'
import { answersAs } from './foreign.js'
import { stopMysql } from './mysql.js'
import { configuredPort, mysqlPaths, serverPid } from './mysql-server.js'
import { readRecord, recordedEngines, type ServiceRecord, serviceDir } from './paths.js'
import { clusterPaths, postmaster } from './pg-cluster.js'
import { stopPostgres } from './postgres.js'
import { redisPid, stopRedis } from './redis.js'

interface Found {
  pid: number | undefined
  port: number | undefined
  log: string
}

function find(engine: ServiceEngine, dir: string, record: ServiceRecord | undefined): Found {
  if (engine === 'postgres') {
    const p = clusterPaths(dir)
    const running = postmaster(p.data)
    return { pid: running?.pid, port: running?.port ?? record?.port, log: p.log }
  }
  if (engine === 'mysql') {
    const p = mysqlPaths(dir)
    return { pid: serverPid(p), port: configuredPort(p) ?? record?.port, log: p.log }
  }
  return { pid: redisPid(dir), port: record?.port, log: path.join(dir, 'redis.log') }
}

async function local(
  engine: ServiceEngine,
  dir: string,
  record: ServiceRecord | undefined,
  env: Record<string, string>,
  exec: Exec,
): Promise<Kept> {
  const { pid, port, log } = find(engine, dir, record)
  const started = pid === undefined ? undefined : processStartedAtMs(pid)
  const healthy = pid !== undefined && port !== undefined && (await answersAs(engine, port))
  const detail =
    pid === undefined
      ? 'stopped'
      : port === undefined
        ? 'its port is not recorded'
        : healthy
          ? `answers on 127.0.0.1:${port}`
          : `does not answer on 127.0.0.1:${port}`
  return {
    name: engine,
    title: engine,
    ...(pid !== undefined ? { pid } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(started !== undefined ? { since: new Date(started).toISOString() } : {}),
    log,
    running: pid !== undefined,
    healthy,
    detail,
    data: dir,
    stop: () =>
      engine === 'postgres'
        ? stopPostgres(dir, record?.bin, env, exec)
        : engine === 'mysql'
          ? stopMysql(dir)
          : stopRedis(dir),
  }
}

async function composed(
  engine: ServiceEngine,
  compose: ComposeService,
  record: ServiceRecord,
  exec: Exec,
): Promise<Kept> {
  const running = await composeRunning(exec, compose)
  return {
    name: engine,
    title: `${engine} (docker compose ${compose.service})`,
    ...(record.port ? { port: record.port } : {}),
    log: `docker compose -f ${compose.file} logs ${compose.service}`,
    running,
    healthy: running,
    detail: running ? 'docker compose says it runs' : 'stopped',
    data: compose.file,
    stop: async () => {
      if (!(await composeRunning(exec, compose))) return false
      await composeStop(exec, compose)
      return true
    },
  }
}

/** The services set up for the repository at `root`, from their folders in its state folder. */
export function repositoryServices(root: string, env: Record<string, string>, exec: Exec): Promise<Kept[]> {
  return Promise.all(
    recordedEngines(root, env).map((engine) => {
      const dir = serviceDir(root, env, engine)
      const record = readRecord(dir)
      return record?.compose
        ? composed(engine, record.compose, record, exec)
        : local(engine, dir, record, env, exec)
    }),
  )
}
