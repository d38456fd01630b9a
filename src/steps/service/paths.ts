// Where a repository's services keep their data: in the user's state folder, never inside the
// repository (file watchers would see every write) and never in node_modules.
//   $DEVSETUP_STATE_DIR | $XDG_STATE_HOME/devsetup | ~/.local/state/devsetup  (root: /var/lib/devsetup)
//     <folder>-<hash of the repository's real path>/services/<engine>/
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { writeFileAtomic } from '../../engine/write-atomic.js'
import type { ServiceEngine } from './config.js'

export function stateRoot(env: Record<string, string | undefined>): string {
  if (env.DEVSETUP_STATE_DIR) return path.resolve(env.DEVSETUP_STATE_DIR)
  // Root's home is closed to the unprivileged user PostgreSQL runs as.
  if (process.getuid?.() === 0) return '/var/lib/devsetup'
  const base = env.XDG_STATE_HOME || path.join(env.HOME || homedir(), '.local', 'state')
  return path.join(base, 'devsetup')
}

/** A readable, stable name for this repository: `shop-3f9a1c2b`. Two clones get two keys. */
export function repoKey(root: string): string {
  let real = root
  try {
    real = realpathSync(root)
  } catch {
    // A folder that does not exist yet keeps its given path.
  }
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 8)
  const name =
    path
      .basename(real)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 40) || 'repo'
  return `${name}-${hash}`
}

export function servicesDir(root: string, env: Record<string, string | undefined>): string {
  return path.join(stateRoot(env), repoKey(root), 'services')
}

export function serviceDir(
  root: string,
  env: Record<string, string | undefined>,
  engine: ServiceEngine,
): string {
  return path.join(servicesDir(root, env), engine)
}

/** What devsetup remembers about a service it set up, in service.json next to its data. */
export interface ServiceRecord {
  engine: ServiceEngine
  port: number
  /** The repository it belongs to, so `stop` and a person reading the folder can tell. */
  repository: string
  /** PostgreSQL: the bin folder whose major version made the cluster. */
  bin?: string
  /** Set when Docker Compose runs it: `stop` stops that compose service. */
  compose?: { file: string; service: string }
}

export function readRecord(dir: string): ServiceRecord | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'service.json'), 'utf8')) as ServiceRecord
  } catch {
    return undefined
  }
}

export function writeRecord(dir: string, record: ServiceRecord): void {
  makeDirs(dir)
  writeFileAtomic(path.join(dir, 'service.json'), `${JSON.stringify(record, null, 2)}\n`)
}

/** The engines this repository has service folders for (what `devsetup stop` stops). */
export function recordedEngines(root: string, env: Record<string, string | undefined>): ServiceEngine[] {
  try {
    return readdirSync(servicesDir(root, env)).filter(
      (n): n is ServiceEngine => n === 'postgres' || n === 'redis',
    )
  } catch {
    return []
  }
}

/** Creates the folders down to `dir`, each traversable (0755) so an unprivileged server user can reach it. */
export function makeDirs(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 })
}
