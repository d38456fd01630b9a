// The processes of a started server, one poll at a time, for the group watch (group-watch.ts):
// what each used and wrote since the last poll, and which are not the server itself.
import { readFileSync } from 'node:fs'
import { cpuTicks, serverMembers } from '../../engine/processes.js'

export interface Member {
  pid: number
  ppid: number
  /** CPU ticks it used (utime + stime). */
  cpu: number
  /** How many polls saw it: only a process seen twice (alive for a poll interval or more) counts as the app. */
  seen: number
  /** Bytes written so far (wchar); when, and at what CPU, it last wrote. */
  wrote: number
  wroteAt: number
  cpuAtWrite: number
  /**
   * Not the server: it leads a session of its own (setsid, `spawn({ detached: true })`), or it
   * was born an orphan — what the app forks off to outlive it (Medusa's telemetry flush on exit).
   * Its start and its work do not cancel or delay the crash of the process it outlives.
   */
  detached: boolean
}

/** Bytes the process has written (to the log, a pipe or a socket), or 0 when unreadable. */
function bytesWritten(pid: number): number {
  try {
    return Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]) || 0
  } catch {
    return 0
  }
}

/** The server's members now (serverMembers), each against what the last poll (`before`) saw. */
export function snapshotMembers(
  pgid: number,
  marker: string | undefined,
  before: Map<string, Member> | undefined,
  at: number,
): Map<string, Member> {
  const now = new Map<string, Member>()
  for (const { pid, stat } of serverMembers(pgid, marker)) {
    // pid + start time: a reused pid is another process.
    const key = `${pid}:${stat[19]}`
    const was = before?.get(key)
    const cpu = cpuTicks(stat) || 0
    const wrote = bytesWritten(pid)
    const writing = !was || wrote > was.wrote
    now.set(key, {
      pid,
      ppid: Number(stat[1]) || 0,
      cpu,
      seen: (was?.seen ?? 0) + 1,
      wrote,
      wroteAt: writing ? at : was.wroteAt,
      cpuAtWrite: writing ? cpu : was.cpuAtWrite,
      detached: was?.detached ?? (Number(stat[3]) === pid && pid !== pgid),
    })
  }
  // Orphaned (its parent gone: ppid 1 or no member of ours) since the last poll, or born so:
  // what the app left behind as it exited — Medusa's esbuild service, its child in the group,
  // lives on up to a second after the app; its exit hook's telemetry flush lands with ppid 1.
  // Not the server: their exits must not restart the quiet second nor take the app's place.
  const pids = new Set([...now.values()].map((m) => m.pid))
  if (before)
    for (const [key, m] of now) {
      const was = before.get(key)
      if (!pids.has(m.ppid) && m.pid !== pgid && was?.ppid !== m.ppid) m.detached = true
    }
  return now
}
