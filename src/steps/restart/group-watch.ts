// A crash under a watcher devsetup has no line for. Watchers differ in what they print when
// the app dies, and some print nothing: AdonisJS's `node ace serve --hmr` shows only the app's
// own error report (youch's, no "Node.js v…" line), and its app process does not even exit:
// hot-hook's file watcher, loaded into it with --import, keeps it alive after the boot failed.
// So, besides the known lines (crash.ts), devsetup watches the process group it started
// (Linux /proc) and calls the server crashed on any of three signals, each only after the
// group has been quiet for a whole second: nothing listens on the app's port (the caller asks
// first), the log gained nothing, no process appeared or exited, and the group used under 10%
// of a core. A server still booting compiles, connects or prints; a dead app under a watcher
// waiting for file changes does none of these.
//   A. The app's process exited after saying why: a member that had lived at least one poll
//      interval (not a short helper such as `git rev-parse`) exited, no process appeared since,
//      and the log up to the poll that saw it ends in either
//      - an error report, with every member left an ancestor of it (the watcher chain npm → sh
//        → watcher). A helper crashing beside the real server (a CSS build under `concurrently`)
//        leaves a non-ancestor running: no crash; or
//      - the app's own word that it gives up (group-report.ts's givingUp: a failure and then
//        `exiting`, `shutting down` or `giving up` among the last 8 lines, no retry wording),
//        with the port never listened since the start; then any idle rest of the group may
//        live on: docmost's env validation exits under `nest start --watch` beside the front
//        end's vite under `concurrently`, printing no Error, stack or `Node.js v…` line.
//        Its words need not name the exit: a failure line (`could not`, …, an error report)
//        the log gained in the poll that saw the exit or the one before will do. Maintainerr's
//        API under `nest start --watch` under turbo: `Could not create or access (files in) the
//        data directory …`, process.exit(1); nest, turbo and the UI's vite on 3000 live on, idle.
//      Limits of the second: a helper that fails in such words while the server boots silent
//      and idle for over a second before it listens is called a crash (one that boots busy,
//      loading or compiling, is not: the group is not quiet); an app saying only `Exiting…`,
//      or whose words scrolled 8 lines up under a sibling's output before its exit, or beside
//      a sibling that keeps printing or working (the group is never quiet), is not (the
//      health_timeout remains).
//   B. The app stays alive, stuck after its report: its port never listened since the start,
//      and the log's last output is a fatal-looking report: an `…Error`/`…Exception` headline
//      with a stack frame (V8's `at …`, youch's `⁃`) among the last lines, and no word of a
//      retry (`retrying`, `reconnecting`, `attempt`) that a server waiting for its database
//      prints while it keeps booting.
//   C. The app reported an unhandled rejection or uncaught exception (its own handler logged it
//      on one line and kept the process alive, as NestJS's logger does) and then stopped: a
//      process that wrote when the report reached the log has written nothing and used no CPU
//      for a second (or exited), its port never listened, and no process appeared since. The
//      rest of the group need not be quiet: a front end's Vite beside it under `concurrently`
//      keeps running, and may keep printing. Who wrote is read from /proc/<pid>/io (`wchar`),
//      as the log is shared. A writer still using CPU without writing is booting on: no crash.
// Each costs about 1.2 s after the crash (one second of quiet plus one 200 ms poll), within
// the 2 s the report is due. What they cannot tell apart from a crash: a server that prints a
// stack trace with no word of retrying, then sits for over a second with no CPU, no output and
// no port before it listens. An app dying within its first poll interval is not seen by A;
// B or Node's own last line (crash.ts) remain. Elsewhere than Linux there is no /proc to read:
// the known lines and the port remain.
import { type Member, snapshotMembers } from './group-members.js'
import {
  failedOnExit,
  fatalReport,
  givingUp,
  reportedError,
  retrying,
  unhandledReport,
} from './group-report.js'

// app-log.ts quotes the first error report by the same test.
export { errorReport } from './group-report.js'

const quietMs = 1000
/** CPU ticks (USER_HZ, 100 a second) the group may use per quiet second: 10% of one core. */
const idleTicksPerSecond = 10

/** Pids for a report: a group of 50 (docmost's 26 and their children) would bury the reason. */
const pidList = (pids: number[]) =>
  pids.length <= 8 ? pids.join(', ') : `${pids.slice(0, 6).join(', ')} and ${pids.length - 6} more`

/** Signal C: the unhandled-error line; who wrote in the poll it arrived and the next (`polls` left). */
type Unhandled = { line: string; writers: Set<string>; polls: number }

export class GroupWatch {
  private members: Map<string, Member> | undefined
  /** Signal A's exit; `beside`: others than its watcher chain live on (counts only if the port never listened). */
  private suspect: { error: string; exited: string; beside: boolean } | undefined
  private quietSince = Date.now()
  private cpuAtQuiet = 0
  private unhandled: Unhandled | undefined
  /** The log's lines read since the last poll, and in the poll before it. */
  private fresh: { now: string[]; before: string[] } = { now: [], before: [] }

  /** `marker`: the start's token, so that tasks it ran in groups of their own count too (turbo). */
  constructor(
    private readonly pgid: number,
    private readonly marker?: string,
  ) {}

  /** When the last snapshot was taken: a member with wroteAt equal to it wrote in the last poll. */
  private sampledAt = 0

  private snapshot(): Map<string, Member> {
    const at = Date.now()
    this.sampledAt = at
    const now = snapshotMembers(this.pgid, this.marker, this.members, at)
    if (this.unhandled && this.unhandled.polls > 0) {
      // Who wrote in this poll (a member seen before whose bytes grew) wrote the report's line on.
      for (const [key, m] of now)
        if (m.wroteAt === at && this.members?.has(key)) this.unhandled.writers.add(key)
      this.unhandled.polls--
    }
    return now
  }

  /**
   * Called on every poll before the log is read: who exited and who appeared since the last
   * poll. `tail` (asked only when something exited) gives the log's last lines up to now.
   */
  sample(tail: () => string[]): void {
    this.fresh = { now: [], before: this.fresh.now }
    const now = this.snapshot()
    const before = this.members
    this.members = now
    if (!before) return
    // Who came or went, but for a detached carrier (its coming and going is not the server's).
    const attached = (members: Map<string, Member>) =>
      [...members].filter(([, m]) => !m.detached).map(([k]) => k)
    const [was, is] = [attached(before), attached(now)]
    if (was.length !== is.length || is.some((key) => !before.has(key))) this.quiet(Date.now())
    if (is.some((key) => !before.has(key))) {
      this.suspect = undefined
      this.unhandled = undefined
      return
    }
    // A process that lived less than a poll interval is a helper (a `git rev-parse`, a build
    // step), not the app: an app boots for longer than that before it reports and dies.
    const exited = [...before]
      .filter(([key, m]) => !now.has(key) && m.seen >= 2 && !m.detached)
      .map(([, m]) => m)
    if (exited.length === 0 || now.size === 0) return
    const lines = tail()
    const byPid = new Map([...before.values()].map((m) => [m.pid, m]))
    const ancestors = new Set<number>()
    for (let pid of exited.map((m) => m.ppid)) {
      while (pid > 1 && !ancestors.has(pid)) {
        ancestors.add(pid)
        pid = byPid.get(pid)?.ppid ?? 0
      }
    }
    // Named: the exited processes whose parent did not exit with them (Medusa and its esbuild
    // service gone in one poll: Medusa).
    const pids = exited
      .filter((m) => !exited.some((other) => other.pid === m.ppid))
      .map((m) => m.pid)
      .join(', ')
    const left = [...now.values()].filter((m) => !m.detached)
    const error = left.every((m) => ancestors.has(m.pid)) ? reportedError(lines) : undefined
    if (error) this.suspect = { error, exited: pids, beside: false }
    else {
      const gaveUp = givingUp(lines) ?? failedOnExit([...this.fresh.before, ...this.fresh.now], lines)
      if (gaveUp) this.suspect = { error: gaveUp, exited: pids, beside: true }
    }
  }

  private cpu(): number {
    const members = [...(this.members ?? new Map<string, Member>()).values()]
    return members.filter((m) => !m.detached).reduce((sum, m) => sum + m.cpu, 0)
  }

  private quiet(at: number): void {
    this.quietSince = at
    this.cpuAtQuiet = this.cpu()
  }

  /** How long the group has been quiet, as of the last crashed() call. */
  quietMs(): number {
    return this.members ? Date.now() - this.quietSince : 0
  }

  /** The server is up, or the watcher restarted it: nothing seen so far counts. */
  reset(): void {
    this.suspect = undefined
    this.unhandled = undefined
  }

  /**
   * A new line of the log, as it is read (after sample()): an unhandled-error line starts
   * signal C, collecting who wrote in this poll (seen by sample() already) and the next.
   */
  line(text: string): void {
    this.fresh.now.push(text)
    if (this.unhandled || !unhandledReport.test(text) || retrying.test(text) || !this.members) return
    const writers = new Set([...this.members].filter(([, m]) => m.wroteAt === this.sampledAt).map(([k]) => k))
    this.unhandled = { line: text.trim(), writers, polls: 1 }
  }

  /** Signal C: a process that wrote the unhandled-error report has been idle since (or exited), none works on silently. */
  private stoppedAfterUnhandled(now: number): string | undefined {
    const report = this.unhandled
    if (!report || report.polls > 0 || report.writers.size === 0) return undefined
    // Named: the youngest that stopped (the app, not the relays above it that wrote its line on).
    let stopped: { pid: number; seen: number } | undefined
    for (const key of report.writers) {
      const m = this.members!.get(key) ?? { pid: Number(key.split(':')[0]), seen: 0, exited: true }
      if (!('exited' in m)) {
        const busy = m.cpu - m.cpuAtWrite > Math.max(2, ((now - m.wroteAt) / 1000) * idleTicksPerSecond)
        // Still computing without a word since: it is booting on after the report.
        if (busy) return undefined
        if (now - m.wroteAt < quietMs) continue
      }
      if (!stopped || m.seen < stopped.seen) stopped = m
    }
    return stopped && `${stopped.pid}`
  }

  /**
   * After the log was read: `grew` says whether it had new output, `tail` gives its last
   * lines, `neverListened` whether the port is known and never listened since the start.
   * Returns why the server is down for good, or undefined.
   */
  crashed(grew: boolean, tail: () => string[], neverListened: boolean, portNote: string): string | undefined {
    if (!this.members) return undefined
    const now = Date.now()
    const stopped = neverListened ? this.stoppedAfterUnhandled(now) : undefined
    if (stopped) {
      const rest = [...this.members.values()].filter((m) => `${m.pid}` !== stopped).map((m) => m.pid)
      return (
        `the server crashed: it reported "${this.unhandled!.line}" and its process (pid ${stopped}) has written nothing and stayed idle since${portNote}` +
        (rest.length > 0 ? `; the rest of its process group (pid ${pidList(rest)}) keeps running` : '')
      )
    }
    if (grew) this.quiet(now)
    const elapsed = now - this.quietSince
    if (this.cpu() - this.cpuAtQuiet > Math.max(2, (elapsed / 1000) * idleTicksPerSecond)) this.quiet(now)
    if (now - this.quietSince < quietMs) return undefined
    const group = `pid ${pidList([...this.members.values()].map((m) => m.pid))}`
    if (this.suspect && (!this.suspect.beside || neverListened))
      return (
        `the server crashed: its process (pid ${this.suspect.exited}) exited after ${this.suspect.beside ? 'saying' : 'reporting'} "${this.suspect.error}", ` +
        `and what is left of its process group (${group}) waits idle${portNote}`
      )
    const report = neverListened ? fatalReport(tail()) : undefined
    if (!report) return undefined
    return `the server crashed: it reported "${report}" and its process group (${group}) has been idle and silent since${portNote}`
  }
}
