// What we can learn about a process: is it alive, its command line, working directory,
// process group and start time. On Linux from /proc (no subprocess, no race with `ps`
// output formats); elsewhere from `ps` and `lsof`, degrading to "unknown" when they fail.
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { promisify } from 'node:util'

import { isRunning, procStat } from '../../engine/processes.js'

export { isRunning }

const execFileAsync = promisify(execFile)
const hasProc = process.platform === 'linux'

export interface ProcessInfo {
  pid: number
  /** The arguments joined by spaces, as `ps` shows them. */
  cmdline: string
  pgid: number | undefined
  /** An opaque start time: with the pid it identifies the process even after pid reuse. */
  startTime: string | undefined
  /** When it started, in ms since the epoch; only from /proc (ps rounds to the second). */
  startedAtMs: number | undefined
  cwd: string | undefined
}

// USER_HZ: the unit of /proc/<pid>/stat's start time, 100 on every Linux architecture.
const ticksPerSecond = 100

/** Boot time in ms since the epoch, from /proc/uptime (btime in /proc/stat is whole seconds). */
function bootTimeMs(): number | undefined {
  try {
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0])
    return Number.isFinite(uptime) ? Date.now() - uptime * 1000 : undefined
  } catch {
    return undefined
  }
}

export async function processInfo(pid: number): Promise<ProcessInfo | undefined> {
  if (!isRunning(pid)) return undefined
  if (hasProc) {
    const stat = procStat(pid)
    let cmdline = ''
    let cwd: string | undefined
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ')
    } catch {}
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`)
    } catch {}
    const boot = bootTimeMs()
    const ticks = Number(stat?.[19])
    const startedAtMs =
      boot !== undefined && Number.isFinite(ticks) ? boot + (ticks * 1000) / ticksPerSecond : undefined
    return { pid, cmdline, pgid: stat ? Number(stat[2]) : undefined, startTime: stat?.[19], startedAtMs, cwd }
  }
  const ps = async (field: string) => {
    try {
      return (
        await execFileAsync('ps', ['-o', `${field}=`, '-p', String(pid)], { timeout: 5000 })
      ).stdout.trim()
    } catch {
      return ''
    }
  }
  const [cmdline, pgid, startTime] = await Promise.all([ps('command'), ps('pgid'), ps('lstart')])
  return {
    pid,
    cmdline,
    pgid: pgid ? Number(pgid) : undefined,
    startTime: startTime || undefined,
    startedAtMs: undefined,
    cwd: await lsofCwd(pid),
  }
}

async function lsofCwd(pid: number): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('lsof', ['-a', '-p', String(pid), '-d', 'cwd', '-Fn'], {
      timeout: 5000,
    })
    return stdout
      .split('\n')
      .find((line) => line.startsWith('n'))
      ?.slice(1)
  } catch {
    return undefined
  }
}

/** Live (non-zombie) members of a process group. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (!hasProc) return true
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = procStat(Number(entry))
    if (stat && Number(stat[2]) === pgid && stat[0] !== 'Z' && stat[0] !== 'X') return true
  }
  return false
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function waitUntil(done: () => boolean, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() >= deadline) return false
    await sleep(everyMs)
  }
  return true
}

function send(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal)
  } catch {
    // Already gone.
  }
}

/** How a stop ended: the signal that ended it (or `survived`) and how long it took. */
export interface Stopped {
  by: 'SIGTERM' | 'SIGKILL' | 'survived'
  ms: number
}

/**
 * Stops a whole process group (npm → sh → node --watch all get the signal, so no child
 * is left holding the port): SIGTERM, then SIGKILL when it has not ended within `graceMs`
 * (the step's `stop_timeout`).
 */
export function stopGroup(pgid: number, graceMs: number): Promise<Stopped> {
  return stopWith(
    (signal) => send(-pgid, signal),
    () => !groupAlive(pgid),
    graceMs,
  )
}

/** Stops a single process (not a group leader we may signal as a group). */
export function stopProcess(pid: number, graceMs: number): Promise<Stopped> {
  return stopWith(
    (signal) => send(pid, signal),
    () => !isRunning(pid),
    graceMs,
  )
}

async function stopWith(
  signalIt: (signal: NodeJS.Signals) => void,
  gone: () => boolean,
  graceMs: number,
): Promise<Stopped> {
  const started = Date.now()
  signalIt('SIGTERM')
  if (await waitUntil(gone, graceMs, 50)) return { by: 'SIGTERM', ms: Date.now() - started }
  signalIt('SIGKILL')
  const killed = await waitUntil(gone, 3000, 50)
  return { by: killed ? 'SIGKILL' : 'survived', ms: Date.now() - started }
}
