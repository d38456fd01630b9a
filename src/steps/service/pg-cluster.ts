// One PostgreSQL cluster in a folder devsetup owns: read its state (read-only), start and stop
// it with pg_ctl (pg-init.ts creates it). A folder that already holds data is never re-initialised.
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { allPids, isRunning } from '../../engine/processes.js'
import { DevsetupError } from '../../errors.js'
import type { Exec } from '../define.js'
import type { RunAs } from './as-user.js'
import type { PgInstall } from './pg-bin.js'
import { lastLogLines } from './server-files.js'

export interface ClusterPaths {
  /** The service folder: service.json, server.log, the socket. */
  dir: string
  data: string
  log: string
}

export function clusterPaths(dir: string): ClusterPaths {
  return { dir, data: path.join(dir, 'data'), log: path.join(dir, 'server.log') }
}

export type ClusterState =
  | { kind: 'none' }
  | { kind: 'foreign'; why: string }
  | { kind: 'cluster'; major: string }

/** What the data folder holds: nothing yet, a cluster (of which major), or files that are not ours to touch. */
export function clusterState(data: string): ClusterState {
  let entries: string[]
  try {
    entries = readdirSync(data)
  } catch {
    return { kind: 'none' }
  }
  const version = path.join(data, 'PG_VERSION')
  if (existsSync(version)) return { kind: 'cluster', major: readFileSync(version, 'utf8').trim() }
  if (entries.length === 0) return { kind: 'none' }
  return { kind: 'foreign', why: `${data} holds files but no PostgreSQL cluster (no PG_VERSION)` }
}

export interface Postmaster {
  pid: number
  port: number
}

/** The running postmaster, from postmaster.pid (a stale file of a dead process reads as none). */
export function postmaster(data: string): Postmaster | undefined {
  let lines: string[]
  try {
    lines = readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')
  } catch {
    return undefined
  }
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid)) return undefined
  return { pid, port }
}

/**
 * A killed postmaster whose parent (PID 1 of a container) has not reaped it yet still answers
 * kill(pid, 0), so PostgreSQL takes its lock file for a live server and refuses to start. Wait
 * for the reaping; if it does not come, and no process still works in the data folder (an
 * orphaned backend would), set the stale lock file aside so the server can start.
 */
export async function clearZombieLock(data: string): Promise<string | undefined> {
  const file = path.join(data, 'postmaster.pid')
  if (!existsSync(file)) return undefined
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0 || isRunning(pid) || !answersSignal(pid)) return undefined
  for (let i = 0; i < 30 && answersSignal(pid); i++) await sleep(100)
  if (!answersSignal(pid) || processesIn(realpathSync(data)) > 0) return undefined
  renameSync(file, `${file}.zombie-${pid}`)
  return `set aside the lock file of pid ${pid} (killed, not yet reaped by its parent)`
}

function answersSignal(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Live processes whose working folder is `dir` (PostgreSQL's processes all work in their data folder). */
function processesIn(dir: string): number {
  let count = 0
  for (const pid of allPids()) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) === dir && isRunning(pid)) count++
    } catch {
      // Gone, or not ours to read.
    }
  }
  return count
}

/** Starts the server detached (pg_ctl's postmaster leaves devsetup's process group), waiting until it answers. */
export async function startCluster(
  p: ClusterPaths,
  install: PgInstall,
  as: RunAs,
  exec: Exec,
): Promise<void> {
  const pgCtl = path.join(install.bin, 'pg_ctl')
  const result = await exec([...as.prefix, pgCtl, '-D', p.data, '-l', p.log, '-w', '-t', '60', 'start'], {
    cwd: p.dir,
    reject: false,
  })
  if (result.exitCode !== 0)
    throw new DevsetupError(
      `PostgreSQL did not start (pg_ctl exited ${result.exitCode}): ${lastLogLines(p.log)}`,
      {
        hint: `read ${p.log}`,
      },
    )
}

export async function stopCluster(p: ClusterPaths, bin: string, as: RunAs, exec: Exec): Promise<void> {
  await exec([...as.prefix, path.join(bin, 'pg_ctl'), '-D', p.data, '-m', 'fast', '-w', 'stop'], {
    cwd: p.dir,
  })
}
