// A crash under a watcher devsetup has no line for. Watchers differ in what they print when
// the app dies, and some print nothing: AdonisJS's `node ace serve --hmr` shows only the app's
// own error report (youch's, no "Node.js v…" line), and its app process does not even exit:
// hot-hook's file watcher, loaded into it with --import, keeps it alive after the boot failed.
// So, besides the known lines (crash.ts), devsetup watches the process group it started
// (Linux /proc) and calls the server crashed on either of two signals, each only after the
// group has been quiet for a whole second: nothing listens on the app's port (the caller asks
// first), the log gained nothing, no process appeared or exited, and the group used under 10%
// of a core. A server still booting compiles, connects or prints; a dead app under a watcher
// waiting for file changes does none of these.
//   A. The app's process exited after an error report: a member that had lived at least one
//      poll interval (not a short helper such as `git rev-parse`) exited, the log up to the poll
//      that saw it ends in an error report, no process appeared since, and every member left is
//      an ancestor of it (the watcher chain npm → sh → watcher). A helper crashing beside the
//      real server (a CSS build under `concurrently`) leaves a non-ancestor running: no crash.
//   B. The app stays alive, stuck after its report: its port never listened since the start,
//      and the log's last output is a fatal-looking report: an `…Error`/`…Exception` headline
//      with a stack frame (V8's `at …`, youch's `⁃`) among the last lines, and no word of a
//      retry (`retrying`, `reconnecting`, `attempt`) that a server waiting for its database
//      prints while it keeps booting.
// Either costs about 1.2 s after the crash (one second of quiet plus one 200 ms poll), within
// the 2 s the report is due. What they cannot tell apart from a crash: a server that prints a
// stack trace with no word of retrying, then sits for over a second with no CPU, no output and
// no port before it listens. An app dying within its first poll interval is not seen by A;
// B or Node's own last line (crash.ts) remain. Elsewhere than Linux there is no /proc to read:
// the known lines and the port remain.
import { groupMembers } from '../../engine/processes.js'

const quietMs = 1000
/** CPU ticks (USER_HZ, 100 a second) the group may use per quiet second: 10% of one core. */
const idleTicksPerSecond = 10

/** A line that says an error was reported: a V8 stack frame, an Error/Exception name, a Node error code. */
const errorReport = /^\s+at \S|\b(?:[A-Z][A-Za-z]*)?(?:Error|Exception)\b|\bERR_[A-Z_]{3,}\b/
const headline = /\b(?:[A-Z][A-Za-z]*)?(?:Error|Exception)\b/

const stackFrame = /^\s+at \S|^\s*⁃ \S/
const retrying = /\bretr(?:y|ying|ies)\b|\breconnect|\battempt\b|\btrying again\b/i

const nonBlank = (lines: string[], count: number) => lines.filter((line) => line.trim() !== '').slice(-count)

/** The error report among the last lines of output, by its headline when it has one. */
export function reportedError(lines: string[]): string | undefined {
  const recent = nonBlank(lines, 20)
  if (!recent.some((line) => errorReport.test(line))) return undefined
  return (recent.find((line) => headline.test(line)) ?? recent.find((line) => errorReport.test(line)))!.trim()
}

/** Signal B's report: the output ends in a stack trace under an Error/Exception headline, with no retry. */
export function fatalReport(lines: string[]): string | undefined {
  const recent = nonBlank(lines, 40)
  if (!nonBlank(lines, 8).some((line) => stackFrame.test(line))) return undefined
  if (recent.some((line) => retrying.test(line))) return undefined
  const at = recent.findIndex((line) => headline.test(line))
  if (at < 0) return undefined
  const name = recent[at]!.trim()
  if (!name.endsWith(':')) return name
  // youch prints the name alone on its line ("EnvValidationException:") and the message below
  // it, a word a line when the output is no terminal: up to the first frame or code line.
  const message = recent.slice(at + 1, at + 13)
  const end = message.findIndex((line) => stackFrame.test(line) || /^\s*(?:❯\s*)?\d+\|/.test(line))
  return [name, ...message.slice(0, Math.max(0, end)).map((line) => line.trim())].join(' ')
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
  private quietSince = Date.now()
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
    const changed = now.size !== before.size || [...now.keys()].some((key) => !before.has(key))
    if (changed) this.quiet(Date.now())
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
   * After the log was read: `grew` says whether it had new output, `tail` gives its last
   * lines, `neverListened` whether the port is known and never listened since the start.
   * Returns why the server is down for good, or undefined.
   */
  crashed(grew: boolean, tail: () => string[], neverListened: boolean, portNote: string): string | undefined {
    if (!this.members) return undefined
    const now = Date.now()
    if (grew) this.quiet(now)
    const elapsed = now - this.quietSince
    if (this.cpu() - this.cpuAtQuiet > Math.max(2, (elapsed / 1000) * idleTicksPerSecond)) this.quiet(now)
    if (now - this.quietSince < quietMs) return undefined
    const group = `pid ${[...this.members.values()].map((m) => m.pid).join(', ')}`
    if (this.suspect)
      return (
        `the server crashed: its process (pid ${this.suspect.exited}) exited after reporting "${this.suspect.error}", ` +
        `and what is left of its process group (${group}) waits idle${portNote}`
      )
    const report = neverListened ? fatalReport(tail()) : undefined
    if (!report) return undefined
    return `the server crashed: it reported "${report}" and its process group (${group}) has been idle and silent since${portNote}`
  }
}
