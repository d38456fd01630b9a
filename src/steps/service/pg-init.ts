// Making a PostgreSQL cluster devsetup owns: initdb in a folder of its own, renamed to `data`
// when complete, and the settings file (port, address, socket) that its postgresql.conf includes.
import {
  chownSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from '../../engine/write-atomic.js'
import type { Exec } from '../define.js'
import type { RunAs } from './as-user.js'
import { newDataFolder } from './paths.js'
import type { PgInstall } from './pg-bin.js'
import type { ClusterPaths } from './pg-cluster.js'

const settingsFile = 'devsetup.conf'
const includeLine = `include_if_exists = '${settingsFile}'`

/**
 * initdb a new cluster (superuser `postgres`, trust for local connections: it listens on
 * 127.0.0.1 only) in a folder of its own, renamed to `data` once complete: a run killed during
 * initdb leaves that folder, never a half-made `data` that a later run would start as it is.
 */
export async function initCluster(p: ClusterPaths, install: PgInstall, as: RunAs, exec: Exec): Promise<void> {
  const temp = newDataFolder(p.dir, 'initdb')
  await exec(
    [
      ...as.prefix,
      path.join(install.bin, 'initdb'),
      '-D',
      temp,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ],
    { cwd: p.dir },
  )
  const conf = path.join(temp, 'postgresql.conf')
  writeFileSync(conf, withInclude(readFileSync(conf, 'utf8')))
  renameSync(temp, p.data)
}

// Port, address and socket live in a file of their own that postgresql.conf includes, so
// a plain `pg_ctl -D <data> start` by hand brings the same server up.
function withInclude(conf: string): string {
  return `${conf}\n# Written by devsetup: port and addresses.\n${includeLine}\n`
}

const includes = (conf: string) => conf.split('\n').some((line) => line.trim() === includeLine)

/**
 * A cluster that never had a server (no postmaster.opts: PostgreSQL writes it at each start),
 * lacks the line devsetup adds once initdb has finished, and holds nothing initdb did not make:
 * an initdb that an earlier devsetup, killed, left in `data` itself. The first two alone are not
 * proof: pg_basebackup leaves postmaster.opts out, and a restored cluster has no include.
 */
export function neverFinished(data: string): boolean {
  if (existsSync(path.join(data, 'postmaster.opts')) || holdsUserObjects(data)) return false
  try {
    return !includes(readFileSync(path.join(data, 'postgresql.conf'), 'utf8'))
  } catch {
    return true
  }
}

// Every object initdb makes has an OID (and a file number) below FirstNormalObjectId; the first
// database, table or index a client creates gets one at or above it.
const firstNormalObjectId = 16384

/**
 * Whether the cluster's files show anything a client made: a database beyond initdb's own
 * (template1, template0, postgres), a relation file in any of them (a table in `postgres`), or
 * a tablespace. Read from the files: the cluster is not running. Unreadable counts as data.
 */
function holdsUserObjects(data: string): boolean {
  const made = (name: string) => Number.parseInt(name, 10) >= firstNormalObjectId
  // A folder initdb had not made yet holds nothing; one devsetup cannot read may hold anything.
  const list = (dir: string) => {
    try {
      return readdirSync(dir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      return [String(firstNormalObjectId)]
    }
  }
  if (list(path.join(data, 'pg_tblspc')).length > 0) return true
  const base = path.join(data, 'base')
  return list(base).some((database) => made(database) || list(path.join(base, database)).some(made))
}

/** Sets a never-finished cluster aside (kept, not deleted: devsetup deletes no data folder) so a new one can be made. */
export function setAside(p: ClusterPaths): string {
  const aside = `${p.data}.unfinished-${Date.now()}`
  renameSync(p.data, aside)
  return `set aside ${aside}, a cluster whose initdb never finished (delete it when not needed)`
}

/**
 * postgresql.conf without devsetup's include (edited by hand, or a cluster served before it was
 * added) would start on 5432: add it back, in a whole new file that keeps the owner and mode.
 */
function ensureInclude(p: ClusterPaths): string | undefined {
  const conf = path.join(p.data, 'postgresql.conf')
  const text = readFileSync(conf, 'utf8')
  if (includes(text)) return undefined
  const st = statSync(conf)
  const temp = `${conf}.devsetup-${process.pid}`
  writeFileSync(temp, withInclude(text), { mode: st.mode & 0o777 })
  chownSync(temp, st.uid, st.gid)
  renameSync(temp, conf)
  return `added the include of ${settingsFile} back to ${conf}`
}

/** Writes the port, the address and the socket folder the server will use; says when it had to repair the include. */
export function writeSettings(p: ClusterPaths, port: number): string | undefined {
  // A Unix socket path is limited to ~107 bytes; a deep state folder goes without one.
  const socketDir = `${p.dir}/.s.PGSQL.${port}`.length < 100 && !p.dir.includes("'") ? p.dir : ''
  const text = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${socketDir}'`,
    '',
  ].join('\n')
  writeFileAtomic(path.join(p.data, settingsFile), text, 0o644)
  return ensureInclude(p)
}
