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

/**
 * Whether the process carries `NAME=value` in its environment (Linux, same user or root).
 * devsetup puts a token there when it starts a command: the token survives a fork, a
 * double fork and setsid, so a daemon or leftover found later is provably one devsetup started.
 */
export function hasEnvEntry(pid: number, entry: string): boolean {
  if (!hasProc) return false
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry)
  } catch {
    return false
  }
}
