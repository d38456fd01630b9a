// What we can learn about a process: is it alive, its command line, working directory,
// process group and start time. On Linux from /proc (no subprocess, no race with `ps`
// output formats); elsewhere from `ps` and `lsof`, degrading to "unknown" when they fail.
import { execFile } from 'node:child_process'
import { readFileSync, readlinkSync } from 'node:fs'
import { promisify } from 'node:util'

import { isRunning, processStartedAtMs, procStat } from '../../engine/processes.js'

// Stopping groups is shared with the engine (leftovers of a killed run): it lives there.
export {
  groupAlive,
  isRunning,
  type Stopped,
  stopGroup,
  stopProcess,
  waitUntil,
} from '../../engine/processes.js'

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
