// What we can learn about a process: is it alive, its command line, working directory,
// process group and start time. On Linux from /proc (no subprocess, no race with `ps`
// output formats); elsewhere from `ps` and `lsof`, degrading to "unknown" when they fail.
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { promisify } from 'node:util'

import { isRunning, processStartedAtMs, procStat } from '../../engine/processes.js'

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
    const startedAtMs = processStartedAtMs(pid, stat)
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

/**
 * Stops a whole process group (npm → sh → node --watch all get the signal, so no child
 * is left holding the port): SIGTERM, then SIGKILL when it has not ended within `graceMs`.
 * Returns how it ended.
 */
export async function stopGroup(pgid: number, graceMs: number): Promise<'SIGTERM' | 'SIGKILL' | 'survived'> {
  send(-pgid, 'SIGTERM')
  if (await waitUntil(() => !groupAlive(pgid), graceMs)) return 'SIGTERM'
  send(-pgid, 'SIGKILL')
  return (await waitUntil(() => !groupAlive(pgid), 3000)) ? 'SIGKILL' : 'survived'
}

/** Stops a single process (not a group leader we may signal as a group). */
export async function stopProcess(pid: number, graceMs: number): Promise<'SIGTERM' | 'SIGKILL' | 'survived'> {
  send(pid, 'SIGTERM')
  if (await waitUntil(() => !isRunning(pid), graceMs)) return 'SIGTERM'
  send(pid, 'SIGKILL')
  return (await waitUntil(() => !isRunning(pid), 3000)) ? 'SIGKILL' : 'survived'
}
