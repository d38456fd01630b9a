// A server's own files, read for `check` and for errors: its pid file (the pid only while that
// server runs) and the end of its log.
import { readFileSync } from 'node:fs'
import { isRunning } from '../../engine/processes.js'

/** The pid in `file` when that process runs and is the server (`marker` in its command line); else undefined. */
export function livePid(file: string, marker: RegExp): number | undefined {
  let pid: number
  try {
    pid = Number(readFileSync(file, 'utf8').trim())
  } catch {
    return undefined
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid)) return undefined
  try {
    // After a reboot (or a crash) the recorded pid may belong to anything: only the server counts.
    if (!marker.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) return undefined
  } catch {
    // No /proc (macOS): trust the pid file.
  }
  return pid
}

/** The last lines of a server's log, for an error that says why it did not start. */
export function lastLogLines(log: string): string {
  try {
    return readFileSync(log, 'utf8').trim().split('\n').slice(-3).join(' | ')
  } catch {
    return 'no server log'
  }
}
