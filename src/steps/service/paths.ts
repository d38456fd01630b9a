// Where a repository's services keep their data: in the repository's state folder (see
// src/engine/state-dir.ts), never inside the repository (file watchers would see every write)
// and never in node_modules:  <state folder>/services/<engine>/
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { repoStateDir } from '../../engine/state-dir.js'
import { writeFileAtomic } from '../../engine/write-atomic.js'
import type { ServiceEngine } from './config.js'

/** A readable, stable name for this repository (`shop-3f9a1c2b7d0e`): its state folder's name. */
export function repoKey(root: string): string {
  return path.basename(repoStateDir(root))
}

export function servicesDir(root: string, env: Record<string, string | undefined>): string {
  return path.join(repoStateDir(root, env), 'services')
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
      (n): n is ServiceEngine => n === 'postgres' || n === 'redis' || n === 'mysql',
    )
  } catch {
    return []
  }
}

/** Creates the folders down to `dir`, each traversable (0755) so an unprivileged server user can reach it. */
export function makeDirs(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 })
}

/**
 * Where `tool` (initdb, mariadb-install-db) makes a new data folder: a folder of its own next to
 * `data` (`data.<tool>-<pid>-<time>`), renamed to `data` once complete, so a killed run never
 * leaves a half-made `data`. Those earlier, killed runs left never had a server (one starts only
 * on `data`), so none holds data: they are removed first.
 */
export function newDataFolder(dir: string, tool: string): string {
  const pattern = new RegExp(`^data\\.${tool}-\\d+-\\d+$`)
  for (const name of readdirSync(dir).filter((n) => pattern.test(n))) {
    try {
      rmSync(path.join(dir, name), { recursive: true, force: true, maxRetries: 2 })
    } catch {
      // A set-up command still writing there (macOS: a killed run's leftovers cannot be
      // stopped) may win; the new attempt has a name of its own, and the next run tries again.
    }
  }
  return path.join(dir, `data.${tool}-${process.pid}-${Date.now()}`)
}
