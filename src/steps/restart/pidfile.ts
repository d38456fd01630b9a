// Reading a pidfile: is the pid in it the server? Trusted only when it is provably so — the
// process devsetup started (same pid, start time and environment token), a member of its
// group, a daemon that carries its start's environment token, or a server started by hand in this repository
// that was already running when the pidfile was written. Anything else is a stale pidfile.
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { maskCommandLine } from '../../engine/mask.js'
import { hasEnvEntry } from '../../engine/processes.js'
import { shorten } from '../text.js'
import { type ProcessInfo, processInfo } from './processes.js'
import {
  type PidfileStatus,
  type Running,
  readRecord,
  type ServerFiles,
  type ServerRecord,
  type Stale,
} from './server.js'

export const firstLine = (text: string) => text.trimStart().split('\n')[0]!.trim()

/** The pid a pidfile names, or undefined (missing, empty, not a number). */
export function pidIn(file: string): number | undefined {
  try {
    const text = firstLine(readFileSync(file, 'utf8'))
    return /^\d+$/.test(text) ? Number(text) : undefined
  } catch {
    return undefined
  }
}

const inside = (root: string, dir: string) => dir === root || dir.startsWith(`${root}${path.sep}`)

const hasProc = process.platform === 'linux'

/**
 * The same process devsetup started, proved by what only that process has: the start's
 * environment token (read back from /proc/<pid>/environ) and the recorded start time (a
 * reused pid has another). A record alone proves nothing: a command line can be copied, and
 * so can a start time read from /proc. Without /proc (macOS) there is no proof: never ours.
 */
function isRecorded(info: ProcessInfo, record: ServerRecord | undefined): boolean {
  if (!record || record.pid !== info.pid || !record.marker || !record.startTime) return false
  return record.startTime === info.startTime && hasEnvEntry(info.pid, record.marker)
}

/** A process carrying the start's token that began after the recorded one: a daemon it forked. */
function forkedByStart(info: ProcessInfo, record: ServerRecord | undefined): boolean {
  if (!record?.marker || record.startTime === undefined || info.startTime === undefined) return false
  // Both in /proc's clock ticks since boot.
  return Number(info.startTime) >= Number(record.startTime) && hasEnvEntry(info.pid, record.marker)
}

// Clock error between a /proc start time and a file's mtime (10 ms ticks, /proc/uptime,
// the kernel's coarse clock for mtimes). A reused pid comes seconds or more later.
const clockSlackMs = 250

const sameCommand = (cmdline: string, start: string) => {
  const words = (text: string) => text.trim().split(/\s+/).join(' ')
  return words(cmdline).includes(words(start))
}

/**
 * Why a live process working inside the repo, named by the app's pidfile, is NOT a server
 * started by hand; undefined when it is. Working in the repo is not enough (an editor opened
 * there is too): it must also have been running when the pidfile was last written, since
 * a pid reused by a later process starts after the file. Without a start time (no /proc),
 * its command line must match `start`.
 */
function notHandStarted(info: ProcessInfo, file: string, files: ServerFiles): string | undefined {
  if (info.startedAtMs !== undefined) {
    let writtenMs: number
    try {
      writtenMs = statSync(file).mtimeMs
    } catch {
      return 'named by a pidfile that is gone'
    }
    // A pidfile dated in the future (unpacked from an archive) vouches for nothing.
    if (writtenMs > Date.now() + clockSlackMs) return 'named by a pidfile dated in the future'
    return info.startedAtMs <= writtenMs + clockSlackMs
      ? undefined
      : 'started after the pidfile was written: a reused pid'
  }
  if (files.start && sameCommand(info.cmdline, files.start)) return undefined
  return files.start
    ? `does not run \`${shorten(files.start, 40)}\` and its start time is unknown`
    : 'has an unknown start time, so it may be a reused pid'
}

/**
 * Reads a pidfile and decides whether its pid is the server: alive, and either the process
 * devsetup started (or one in its process group), or — for a server started by hand and
 * only for the app's pidfile — a process working inside this repository that was already
 * running when the pidfile was written.
 */
export async function inspectPidfile(
  file: string,
  files: ServerFiles,
  record: ServerRecord | undefined,
): Promise<PidfileStatus> {
  let text: string
  try {
    // The pid is the first line: PostgreSQL's postmaster.pid and others add more lines below it.
    text = firstLine(readFileSync(file, 'utf8'))
  } catch {
    return { kind: 'absent', file }
  }
  if (!/^\d+$/.test(text)) return { kind: 'stale', file, why: `holds \`${shorten(text, 20)}\`, not a pid` }
  const pid = Number(text)
  const info = await processInfo(pid)
  if (!info) return { kind: 'stale', file, why: `pid ${pid} is not running` }
  const own = file === files.ownPidfile
  const leaderAlive = record ? await processInfo(record.pid) : undefined
  const inOurGroup =
    !own &&
    record !== undefined &&
    info.pgid === record.pgid &&
    leaderAlive !== undefined &&
    isRecorded(leaderAlive, record)
  if (isRecorded(info, record) || inOurGroup || (!own && forkedByStart(info, record)))
    return { kind: 'running', file, info, ours: true }
  if (own && !hasProc)
    return {
      kind: 'stale',
      file,
      why: `pid ${pid} cannot be proved to be the server devsetup started (no /proc on this system to read its environment): not stopping it`,
    }
  const what = info.cmdline ? `\`${shorten(maskCommandLine(info.cmdline))}\`` : 'another process'
  if (!own && info.cwd && inside(files.root, info.cwd)) {
    const why = notHandStarted(info, file, files)
    if (why === undefined) return { kind: 'running', file, info, ours: false }
    return { kind: 'stale', file, why: `pid ${pid} (${what}) ${why}, not the server` }
  }
  return { kind: 'stale', file, why: `pid ${pid} is ${what}, not the server` }
}

/** Both pidfiles; the server runs when either names it. Stale ones are listed for removal. */
export async function findServer(files: ServerFiles): Promise<{
  running: (PidfileStatus & { kind: 'running' })[]
  stale: (PidfileStatus & { kind: 'stale' })[]
}> {
  const record = readRecord(files)
  const statuses = await Promise.all(
    [files.appPidfile, files.ownPidfile]
      .filter((file): file is string => file !== undefined)
      .map((file) => inspectPidfile(file, files, record)),
  )
  return {
    running: statuses.filter((s): s is Running => s.kind === 'running'),
    stale: statuses.filter((s): s is Stale => s.kind === 'stale'),
  }
}
