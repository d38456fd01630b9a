// A throw-away PostgreSQL for scripts/acceptance.mjs, from the Debian packages: local logins
// trusted (as Homebrew and Postgres.app do), socket in /tmp, run as `postgres` under root.
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'

export function startPostgres(port, log) {
  const root = '/usr/lib/postgresql'
  const version = existsSync(root) ? readdirSync(root).sort((a, b) => b - a)[0] : undefined
  if (!version) throw new Error('PostgreSQL is not installed (apt-get install postgresql)')
  const bin = path.join(root, version, 'bin')
  const asRoot = userInfo().uid === 0
  const dir = mkdtempSync(path.join(tmpdir(), 'acceptance-pg-'))
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']))
    const gid = Number(execFileSync('id', ['-g', 'postgres']))
    chownSync(dir, uid, gid)
  }
  const as = (file, fileArgs) => {
    const [cmd, ...rest] = [
      ...(asRoot ? ['runuser', '-u', 'postgres', '--'] : []),
      path.join(bin, file),
      ...fileArgs,
    ]
    return execFileSync(cmd, rest, { stdio: 'pipe' }).toString()
  }
  const data = path.join(dir, 'data')
  as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
  as('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-o',
    `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off`,
    '-w',
    'start',
  ])
  log(`PostgreSQL ${version} on 127.0.0.1:${port} (${dir})`)
  return {
    psql: (sql) =>
      as('psql', [
        '-h',
        '/tmp',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        sql,
      ]),
    stop: () => {
      as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
