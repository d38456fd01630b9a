// Servers that are not devsetup's, started by a test as a person (or the system) would have
// started them: a MariaDB and a redis-server in a temp folder of their own, on a port of their
// own. (The throw-away PostgreSQL is database/postgres-cluster.ts.) `service` steps must use them
// when they take the URL's credentials, refuse them otherwise, and never stop them.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import mysql from 'mysql2/promise'
import { freePort } from '../database/postgres-cluster.js'

export interface ForeignServer {
  port: number
  pid: number
  /** Still running (what `devsetup stop` must leave alone). */
  alive(): boolean
  destroy(): Promise<void>
}

/** Waits until `ready()` resolves true, polling every 100 ms; fails after `timeoutMs`. */
async function until(ready: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

// The test's own child: exited once Node has reaped it (a zombie would still answer kill(pid, 0)).
const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null

async function stopChild(child: ChildProcess): Promise<void> {
  if (!running(child)) return
  child.kill('SIGTERM')
  await until(async () => !running(child), 30_000, `pid ${child.pid} to stop`)
}

function serverOf(child: ChildProcess, port: number, dir: string): ForeignServer {
  return {
    port,
    pid: child.pid!,
    alive: () => running(child),
    async destroy() {
      await stopChild(child)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A redis-server on a free port, with `requirepass` when `password` is given. */
export async function startRedis(password?: string): Promise<ForeignServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'devsetup-redis-'))
  const port = await freePort()
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ]
  const child = spawn('redis-server', [...args, ...(password ? ['--requirepass', password] : [])], {
    stdio: 'ignore',
  })
  const ping = () =>
    new Promise<boolean>((resolve) => {
      const probe = spawn('redis-cli', ['-p', String(port), 'PING'], { stdio: 'pipe' })
      probe.on('exit', (code) => resolve(code === 0))
    })
  await until(ping, 10_000, `redis-server on ${port}`)
  return serverOf(child, port, dir)
}

/** A MariaDB on a free port with a user `user`@'%' identified by `password`, all privileges. */
export async function startMariadb(server: string, user: string, password: string): Promise<ForeignServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'devsetup-my-'))
  const data = path.join(dir, 'data')
  const socket = path.join(dir, 'mysql.sock')
  const asRoot = userInfo().uid === 0
  chmodSync(dir, 0o755)
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'mysql']).toString().trim())
    chownSync(dir, id('-u'), id('-g'))
  }
  const runAs = asRoot ? ['--user=mysql'] : []
  const installDb = ['mariadb-install-db', 'mysql_install_db'].find((b) => {
    try {
      execFileSync('sh', ['-c', `command -v ${b}`])
      return true
    } catch {
      return false
    }
  })!
  execFileSync(
    installDb,
    [`--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...runAs],
    { stdio: 'pipe' },
  )
  const port = await freePort()
  const child = spawn(
    server,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket}`,
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      `--log-error=${path.join(dir, 'mysql.log')}`,
      '--skip-name-resolve',
      ...runAs,
    ],
    { stdio: 'ignore' },
  )
  const root = () => mysql.createConnection({ socketPath: socket, user: 'root' })
  await until(
    async () => {
      try {
        await (await root()).end()
        return true
      } catch {
        return false
      }
    },
    60_000,
    `MariaDB on ${port}`,
  )
  const c = await root()
  try {
    await c.query("CREATE USER ?@'%' IDENTIFIED BY ?", [user, password])
    await c.query("GRANT ALL PRIVILEGES ON *.* TO ?@'%'", [user])
  } finally {
    await c.end()
  }
  return serverOf(child, port, dir)
}
