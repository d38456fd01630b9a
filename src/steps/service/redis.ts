// The `service: redis` driver: redis-server with this repository's own folder, port and
// config file (so `redis-server <folder>/redis.conf` by hand brings the same server up).
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { isRunning } from '../../engine/processes.js'
import { findOnPath } from '../../engine/which.js'
import { DevsetupError } from '../../errors.js'
import type { Exec } from '../define.js'
import type { Wanted } from './config.js'
import { makeDirs } from './paths.js'
import { ask } from './port.js'
import type { Inspection } from './postgres.js'
import { livePid } from './server-files.js'

const extraBins = ['/opt/homebrew/bin', '/usr/local/bin', '/usr/bin', '/usr/sbin']

async function redisServer(env: Record<string, string>): Promise<string> {
  const onPath = await findOnPath('redis-server', env)
  const found = onPath ?? extraBins.map((d) => path.join(d, 'redis-server')).find((f) => existsSync(f))
  if (found) return found
  throw new DevsetupError('redis-server not found (PATH, /usr/bin, Homebrew)', {
    hint: process.platform === 'darwin' ? 'brew install redis' : 'apt-get install redis-server',
  })
}

/** The pid of this repository's redis-server, when it runs (a stale pid file, or a reused pid, reads as none). */
export function redisPid(dir: string): number | undefined {
  return livePid(path.join(dir, 'redis.pid'), /redis/)
}

/** Any RESP reply (+PONG, or -NOAUTH when a password is set) means the server answers. */
export async function redisAnswers(port: number): Promise<boolean> {
  return /^[+-]/.test(await ask(port, 'PING\r\n'))
}

export async function inspectRedis(
  dir: string,
  port: number | undefined,
  _wanted: Wanted,
  env: Record<string, string>,
): Promise<Inspection> {
  try {
    await redisServer(env)
  } catch (error) {
    const e = error as DevsetupError
    return { met: false, reason: e.message, ...(e.hint ? { fix: e.hint } : {}) }
  }
  const pid = redisPid(dir)
  if (pid === undefined || port === undefined) return { met: false, reason: `Redis stopped (data: ${dir})` }
  if (!(await redisAnswers(port)))
    return {
      met: false,
      reason: `Redis (pid ${pid}) does not answer on 127.0.0.1:${port}`,
      runningPort: port,
    }
  return { met: true, reason: `Redis running on 127.0.0.1:${port} (data: ${dir})`, runningPort: port }
}

const q = (s: string) => JSON.stringify(s)

export async function ensureRedis(
  dir: string,
  port: number,
  wanted: Wanted,
  env: Record<string, string>,
  exec: Exec,
): Promise<{ done: string[] }> {
  const server = await redisServer(env)
  makeDirs(dir)
  const running = redisPid(dir)
  const done: string[] = []
  if (running !== undefined && (await redisAnswers(port))) return { done }
  if (running !== undefined) {
    // Running, but not on the port the recipe wants now: restart it with the new config.
    await stopRedis(dir)
    done.push('stopped it on its old port')
  }
  const conf = path.join(dir, 'redis.conf')
  const lines = [
    '# Written by devsetup for this repository; rewritten on each start.',
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${q(dir)}`,
    `pidfile ${q(path.join(dir, 'redis.pid'))}`,
    `logfile ${q(path.join(dir, 'redis.log'))}`,
    'daemonize yes',
    // Every write reaches the file before the reply: a killed server keeps what it acknowledged.
    'appendonly yes',
    ...(wanted.password ? [`requirepass ${q(wanted.password)}`] : []),
    '',
  ]
  writeFileSync(conf, lines.join('\n'), { mode: 0o600 })
  await exec([server, conf], { cwd: dir })
  for (let i = 0; i < 100 && !(await redisAnswers(port)); i++) await sleep(100)
  if (!(await redisAnswers(port)))
    throw new DevsetupError(`redis-server did not answer on 127.0.0.1:${port} after 10s`, {
      hint: `read ${path.join(dir, 'redis.log')}`,
    })
  done.push(`started on 127.0.0.1:${port}`)
  return { done }
}

/** SIGTERM (Redis saves, then exits) and wait; resolves false when it was not running. */
export async function stopRedis(dir: string): Promise<boolean> {
  const pid = redisPid(dir)
  if (pid === undefined) return false
  process.kill(pid, 'SIGTERM')
  for (let i = 0; i < 150 && isRunning(pid); i++) await sleep(100)
  if (isRunning(pid)) throw new DevsetupError(`redis-server (pid ${pid}) did not stop within 15s`)
  return true
}
