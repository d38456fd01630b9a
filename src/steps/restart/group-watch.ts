// A crash under a watcher devsetup has no line for. Watchers differ in what they print when
// the app dies (AdonisJS's `node ace serve --hmr` prints nothing of its own, only the app's
// error), but they all do the same thing: the process running the app exits and the watcher
// stays, waiting. So, besides the known lines (crash.ts), devsetup watches the process group
// it started (Linux /proc) and calls the server crashed when all of these hold:
//   1. a member of the group that had lived for at least one poll interval (not a short helper
//      such as `git rev-parse` or a build step) exited, and the log up to the poll that saw the
//      exit ends in an error report (a stack frame, `SomethingError`/`SomethingException`, an
//      `ERR_…` code): the app reported why and died. An error logged later by a server still
//      booting (a retried DB connection) comes after no such exit and does not count;
//   2. every member left is an ancestor of the one that exited (the watcher chain npm → sh →
//      watcher): nobody else in the group can still be the server, so a crashed helper next
//      to the real server (a CSS watcher under `concurrently`) is no crash;
//   3. no process appeared since (a watcher restarting the app starts a new one);
//   4. nothing listens on the app's port (the caller asks first) and for a whole second the
//      log stayed silent and the group used under 10% of a core: a server still booting
//      compiles, connects or prints; a watcher waiting for file changes does none of these.
// Together they cost about 1.2 s after the crash (one second of quiet plus one 200 ms poll),
// within the 2 s the report is due. What they cannot tell apart: a helper that lived a poll
// interval, printed an error and exited, while its parent (the real server) then sits for over
// a second with no CPU, no output and no port; that parent would be called crashed. An app
// that dies within its first poll interval (~200 ms) is not seen here: Node's own last line
// (crash.ts) or the health timeout remain. Elsewhere than Linux there is no /proc to read:
// the known lines and the port remain.
import { groupMembers } from '../../engine/processes.js'

const quietMs = 1000
/** CPU ticks (USER_HZ, 100 a second) the group may use per quiet second: 10% of one core. */
const idleTicksPerSecond = 10

/** A line that says an error was reported: a V8 stack frame, an Error/Exception name, a Node error code. */
const errorReport = /^\s+at \S|\b[A-Z][A-Za-z]*(?:Error|Exception)\b|\bERR_[A-Z_]{3,}\b/
const headline = /\b[A-Z][A-Za-z]*(?:Error|Exception)\b/

/** The error report among the last lines of output, by its headline when it has one. */
export function reportedError(lines: string[]): string | undefined {
  const recent = lines.filter((line) => line.trim() !== '').slice(-20)
  if (!recent.some((line) => errorReport.test(line))) return undefined
  return (recent.find((line) => headline.test(line)) ?? recent.find((line) => errorReport.test(line)))!.trim()
}

interface Member {
  pid: number
  ppid: number
  /** CPU ticks it used (utime + stime). */
  cpu: number
  /** How many polls saw it: only a process seen twice (alive for a poll interval or more) counts as the app. */
  seen: number
}

export class GroupWatch {
  private members: Map<string, Member> | undefined
  private suspect: { error: string; exited: string } | undefined
  private quietSince = 0
  private cpuAtQuiet = 0

  constructor(private readonly pgid: number) {}

  private snapshot(): Map<string, Member> {
    const now = new Map<string, Member>()
    for (const { pid, stat } of groupMembers(this.pgid)) {
      const ticks = (i: number) => Number(stat[i]) || 0
      // pid + start time: a reused pid is another process.
      const key = `${pid}:${stat[19]}`
      now.set(key, {
        pid,
        ppid: ticks(1),
        cpu: ticks(11) + ticks(12),
        seen: (this.members?.get(key)?.seen ?? 0) + 1,
      })
    }
    return now
  }

  /**
   * Called on every poll before the log is read: who exited and who appeared since the last
   * poll. `tail` (asked only when something exited) gives the log's last lines up to now.
   */
  sample(tail: () => string[]): void {
    const now = this.snapshot()
    const before = this.members
    this.members = now
    if (!before) return
    if ([...now.keys()].some((key) => !before.has(key))) {
      this.suspect = undefined
      return
    }
    // A process that lived less than a poll interval is a helper (a `git rev-parse`, a build
    // step), not the app: an app boots for longer than that before it reports and dies.
    const exited = [...before].filter(([key, m]) => !now.has(key) && m.seen >= 2).map(([, m]) => m)
    if (exited.length === 0 || now.size === 0) return
    const error = reportedError(tail())
    if (!error) return
    const byPid = new Map([...before.values()].map((m) => [m.pid, m]))
    const ancestors = new Set<number>()
    for (let pid of exited.map((m) => m.ppid)) {
      while (pid > 1 && !ancestors.has(pid)) {
        ancestors.add(pid)
        pid = byPid.get(pid)?.ppid ?? 0
      }
    }
    if (![...now.values()].every((m) => ancestors.has(m.pid))) return
    this.suspect = { error, exited: exited.map((m) => m.pid).join(', ') }
    this.quiet(Date.now())
  }

  private cpu(): number {
    return [...(this.members ?? new Map<string, Member>()).values()].reduce((sum, m) => sum + m.cpu, 0)
  }

  private quiet(at: number): void {
    this.quietSince = at
    this.cpuAtQuiet = this.cpu()
  }

  /** The server is up, or the watcher restarted it: nothing seen so far counts. */
  reset(): void {
    this.suspect = undefined
  }

  /**
   * After the log was read: `grew` says whether it had new output. Returns why the server is
   * down for good, or undefined.
   */
  crashed(grew: boolean, portNote: string): string | undefined {
    if (!this.suspect) return undefined
    const now = Date.now()
    if (grew) this.quiet(now)
    const elapsed = now - this.quietSince
    if (this.cpu() - this.cpuAtQuiet > Math.max(2, (elapsed / 1000) * idleTicksPerSecond)) this.quiet(now)
    if (now - this.quietSince < quietMs) return undefined
    const left = [...this.members!.values()].map((m) => m.pid).join(', ')
    return (
      `the server crashed: its process (pid ${this.suspect.exited}) exited after reporting "${this.suspect.error}", ` +
      `and what is left of its process group (pid ${left}) waits idle${portNote}`
    )
  }
}
