// MariaDB/MySQL for `service: mysql`: which binaries the machine has, and the files of a
// repository's server: its data folder (made once, never again), my.cnf, socket and pid file.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { allPids } from '../../engine/processes.js'
import { findOnPath } from '../../engine/which.js'
import { DevsetupError } from '../../errors.js'
import type { Exec } from '../define.js'
import { newDataFolder } from './paths.js'
import { livePid } from './server-files.js'

const extraBins = ['/usr/sbin', '/usr/bin', '/opt/homebrew/bin', '/usr/local/bin', '/usr/local/mysql/bin']

export interface Server {
  /** mariadbd or mysqld. */
  bin: string
  /** How a new data folder is made: mariadb-install-db, or `mysqld --initialize-insecure`. */
  init: string[]
  product: 'MariaDB' | 'MySQL'
}

async function locate(name: string, env: Record<string, string>): Promise<string | undefined> {
  return (await findOnPath(name, env)) ?? extraBins.map((d) => path.join(d, name)).find((f) => existsSync(f))
}

export async function findServer(env: Record<string, string>, exec: Exec): Promise<Server> {
  const mariadbd = await locate('mariadbd', env)
  const mysqld = mariadbd ?? (await locate('mysqld', env))
  // Old MariaDB (< 10.5) ships only `mysqld`: its --version says which one it is.
  const product =
    mariadbd || (mysqld && /MariaDB/.test((await exec([mysqld, '--version'], { reject: false })).stdout))
      ? 'MariaDB'
      : 'MySQL'
  const installDb =
    product === 'MariaDB'
      ? ((await locate('mariadb-install-db', env)) ?? (await locate('mysql_install_db', env)))
      : undefined
  if (mysqld && (product === 'MySQL' || installDb))
    return { bin: mysqld, init: installDb ? [installDb] : [mysqld], product }
  throw new DevsetupError('MariaDB/MySQL server binaries (mariadbd, mariadb-install-db) not found', {
    hint: process.platform === 'darwin' ? 'brew install mariadb' : 'apt-get install mariadb-server',
  })
}

export interface Paths {
  dir: string
  data: string
  cnf: string
  socket: string
  pidFile: string
  log: string
  /**
   * The server's temporary files: its own folder, not the caller's TMPDIR, which the `mysql`
   * user the server drops to as root may not write (`Can't create/write to file … Errcode: 13`
   * under a TMPDIR of the person's own, seen in an acceptance run with TMPDIR=/tmp/acc31n).
   */
  tmp: string
}

export function mysqlPaths(dir: string): Paths {
  const data = path.join(dir, 'data')
  return {
    dir,
    data,
    cnf: path.join(dir, 'my.cnf'),
    socket: path.join(data, 'mysql.sock'),
    pidFile: path.join(data, 'mysqld.pid'),
    log: path.join(dir, 'mysql.log'),
    tmp: path.join(dir, 'tmp'),
  }
}

/** none: devsetup makes it; server: a data folder (it has the `mysql` system schema); foreign: left alone. */
export function dataState(data: string): 'none' | 'server' | 'foreign' {
  let names: string[]
  try {
    names = readdirSync(data)
  } catch {
    return 'none'
  }
  if (names.length === 0) return 'none'
  return names.includes('mysql') ? 'server' : 'foreign'
}

/** Makes a new data folder with the server's own tool, in a folder of its own renamed to `data` once complete. */
export async function installData(p: Paths, server: Server, exec: Exec): Promise<void> {
  const temp = newDataFolder(p.dir, 'install')
  const options =
    server.product === 'MariaDB'
      ? ['--auth-root-authentication-method=normal', '--skip-test-db']
      : ['--initialize-insecure']
  // --datadir after --defaults-file: the command line wins over my.cnf's datadir.
  const [tool, ...rest] = server.init
  await exec([tool!, `--defaults-file=${p.cnf}`, ...rest, ...options, `--datadir=${temp}`], { cwd: p.dir })
  renameSync(temp, p.data)
}

/** The running server of this repository: its pid file's, else one still starting (below). */
export const serverPid = (p: Paths) => livePid(p.pidFile, /mariadbd|mysqld/) ?? startingServer(p)

/**
 * A server of this repository that is still starting: a `mariadbd --defaults-file=<this my.cnf>`
 * (the path is this repository's own state folder) whose pid file is not written yet. MariaDB
 * listens before it writes the pid file, so a run right after one killed mid-start would
 * otherwise take its port for another program's (and start a second server). Linux only.
 */
function startingServer(p: Paths): number | undefined {
  return allPids().find((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      return /(?:mariadbd|mysqld)$/.test(argv[0] ?? '') && argv.includes(`--defaults-file=${p.cnf}`)
    } catch {
      return false
    }
  })
}

/** The port in the my.cnf the running server started with. */
export function configuredPort(p: Paths): number | undefined {
  try {
    const m = /^port=(\d+)$/m.exec(readFileSync(p.cnf, 'utf8'))
    return m ? Number(m[1]) : undefined
  } catch {
    return undefined
  }
}

export function writeConfig(p: Paths, port: number, user: string | undefined): void {
  // A Unix socket path is limited to ~107 bytes: say so instead of a server that will not start.
  if (p.socket.length > 100)
    throw new DevsetupError(`the MySQL socket path ${p.socket} is too long for a Unix socket`, {
      hint: 'set DEVSETUP_STATE_DIR to a shorter folder (e.g. ~/.devsetup)',
    })
  const lines = [
    '# Written by devsetup for this repository; rewritten on each start.',
    '[mysqld]',
    `datadir=${p.data}`,
    `port=${port}`,
    'bind-address=127.0.0.1',
    `socket=${p.socket}`,
    `pid-file=${p.pidFile}`,
    `log-error=${p.log}`,
    `tmpdir=${p.tmp}`,
    // Users are 'name'@'%': no reverse DNS lookups for 127.0.0.1.
    'skip-name-resolve',
    ...(user ? [`user=${user}`] : []),
    '',
  ]
  writeFileSync(p.cnf, lines.join('\n'), { mode: 0o644 })
}
