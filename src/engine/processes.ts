// Is a process still running? Shared by the lock (is its holder alive?) and `restart`.
// A zombie (exited, not yet reaped) still answers kill(pid, 0); on machines whose PID 1 does
// not reap, it would stay "alive" forever, so on Linux /proc has the last word.
import { readFileSync } from 'node:fs'

const hasProc = process.platform === 'linux'

/** Fields of /proc/<pid>/stat after the `(comm)` field, which may itself contain spaces. */
export function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return text.slice(text.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/** Alive and not a zombie (an exited child nobody reaped still answers kill(pid, 0)). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (!hasProc) return true
  const stat = procStat(pid)
  return stat !== undefined && stat[0] !== 'Z' && stat[0] !== 'X'
}

// USER_HZ: the unit of /proc/<pid>/stat's start time, 100 on every Linux architecture.
const ticksPerSecond = 100

/** Boot time in ms since the epoch, from /proc/uptime (btime in /proc/stat is whole seconds). */
export function bootTimeMs(): number | undefined {
  try {
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0])
    return Number.isFinite(uptime) ? Date.now() - uptime * 1000 : undefined
  } catch {
    return undefined
  }
}

/** When a process started, in ms since the epoch (Linux /proc only): with the pid, its identity. */
export function processStartedAtMs(pid: number, stat = procStat(pid)): number | undefined {
  const boot = bootTimeMs()
  const ticks = Number(stat?.[19])
  return boot !== undefined && Number.isFinite(ticks) ? boot + (ticks * 1000) / ticksPerSecond : undefined
}
