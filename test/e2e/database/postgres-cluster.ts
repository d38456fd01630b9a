// A throw-away PostgreSQL cluster for the database step's tests: initdb + pg_ctl in a temp
// folder on a free port, run as the `postgres` user when the tests run as root (PostgreSQL
// refuses to run as root). Password auth over TCP, so wrong passwords can be tested.
import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import pg from 'pg'

export const superPassword = 'super-Secret-pw'

export interface PgCluster {
  port: number
  /** The folder holding the server's Unix socket (local logins are trusted). */
  socketDir: string
  /** The shell command that starts this cluster (what a recipe's `start:` would say). */
  startCommand: string
  url(user: string, password: string, database: string): string
  start(): void
  stop(): void
  /** Runs SQL as the superuser, against `database` (default: postgres). */
  sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, database?: string): Promise<T[]>
  destroy(): void
}

export function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

export async function startCluster(): Promise<PgCluster> {
  const bin = findPgBin()
  if (!bin)
    throw new Error(
      'PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql',
    )
  const asRoot = userInfo().uid === 0
  const dir = mkdtempSync(path.join(tmpdir(), 'devsetup-pg-'))
  const data = path.join(dir, 'data')
  const pwfile = path.join(dir, 'pw')
  writeFileSync(pwfile, superPassword)
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim()
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim()
    chownSync(dir, Number(ids), Number(gid))
    chownSync(pwfile, Number(ids), Number(gid))
  }
  chmodSync(dir, 0o700)
  const prefix = asRoot ? ['runuser', '-u', 'postgres', '--'] : []
  const run = (file: string, args: string[]) => {
    const [cmd, ...rest] = [...prefix, path.join(bin, file), ...args]
    execFileSync(cmd!, rest, { stdio: 'pipe' })
  }
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    `--pwfile=${pwfile}`,
    '-E',
    'UTF8',
    '--no-sync',
  ])
  const port = await freePort()
  const startArgs = [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    '-w',
    '-t',
    '30',
    'start',
  ]
  const startCommand = [...prefix, path.join(bin, 'pg_ctl'), ...startArgs].map(quote).join(' ')
  const cluster: PgCluster = {
    port,
    socketDir: dir,
    startCommand,
    url: (user, password, database) =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    start: () => run('pg_ctl', startArgs),
    stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    async sql(text, database = 'postgres') {
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        password: superPassword,
        database,
      })
      await client.connect()
      try {
        return (await client.query(text)).rows
      } finally {
        await client.end()
      }
    },
    destroy() {
      try {
        cluster.stop()
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
  cluster.start()
  return cluster
}
