// After `start`: is the server coming up? Two kinds of start:
//   - foreground (`npm run dev`, `rails s`, `node server.js`): the command IS the server and
//     keeps running; its exiting means the server died.
//   - daemonizing (`./app start`, `pg_ctl start`, `unicorn -D`): the command forks the server,
//     the server writes its pidfile, and the command exits 0. That exit is no failure: the
//     server is then followed through its `pidfile:`, and recorded as the one devsetup runs.
import { displayPath } from '../../engine/state-dir.js'
import { ansi, readFrom } from './crash.js'
import { pidIn } from './pidfile.js'
import { pipelineEnd } from './pipeline.js'
import { groupAlive, isRunning, processInfo } from './processes.js'
import { inspectPidfile, type ServerFiles, type ServerRecord, type StartExit, writeRecord } from './server.js'

export interface Started {
  record: ServerRecord
  exit: () => StartExit | undefined
  files: ServerFiles
  /** Where this start's output begins in its log. */
  logOffset: number
  /** Where `start` runs: its package.json says what `npm run X` runs (pipeline.ts). */
  cwd: string
}

const describeExit = (exit: StartExit) =>
  exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`

/**
 * Why the start has failed for good, or undefined while it may still come up. Asked between
 * health probes; a daemonizing start waits for its pidfile for as long as health may take.
 */
export function startFailure(started: Started): string | undefined {
  const { command } = started.record
  // The exit is known once Node has reaped the shell; /proc may show its group gone a moment before.
  const exit = started.exit()
  if (!exit) return undefined
  // The first error it logged is quoted: npm's own `ERR!` lines after it can push it out of the tail.
  if (exit.code !== 0) {
    const error = loggedError(started)
    return `${error ? `"${error}", then ` : ''}\`${command}\` ${describeExit(exit)} before becoming healthy`
  }
  const pidfile = started.files.appPidfile
  if (pidfile === undefined) {
    // Without a pidfile there is nothing to follow: a start whose whole group is gone has failed.
    if (groupAlive(started.record.pgid)) return undefined
    const { error, note } = exitZero(started)
    const lead = error ? `"${error}", then ` : ''
    return `${lead}\`${command}\` exited ${note ? `before becoming healthy (${note})` : '0 before becoming healthy'}`
  }
  const pid = pidIn(pidfile)
  if (pid !== undefined && !isRunning(pid))
    return `\`${command}\` exited 0 (daemonized) but pid ${pid} in ${displayPath(pidfile, started.files.root)} is not running`
  return undefined
}

/**
 * What a start's exit 0 with no pidfile means: the error it logged first, if any; and a note:
 * a pipeline's status is its last command's (the app's own exit is in the log), else — when
 * the log names no error — it may have daemonized.
 */
function exitZero(started: Started): { error: string | undefined; note: string | undefined } {
  const error = loggedError(started)
  const last = pipelineEnd(started.record.command, started.cwd)
  if (last)
    return {
      error,
      note: `its status is the last command of a pipeline (${last}); the app's own exit is in the log below`,
    }
  return {
    error,
    note: error ? undefined : 'if it daemonizes, give `pidfile:` so devsetup can follow the server',
  }
}

// An error a start reported before it exited 0 (@adonisjs/assembler prints `[ error ] options.port
// should be >= 0 and < 65536` and exits 0): the cause, which a daemon hint would only hide.
// uptime-kuma's `[SERVER] ERROR: …` and SQLite's own codes (`SQLITE_CORRUPT`) too.
const errorLine = /\[ ?error ?\]|\bFATAL\b|\bexception\b|\bERROR:|\bSQLITE_[A-Z]{4,}\b/i
// `error TS2559: …`: tsc's, when a start compiles first (`tsc && node dist/index.js`).
const errorName = /\bError:|\bERR_[A-Z_]{3,}\b|\berror TS\d+:/

/** The first error line the start logged since it began, or undefined. */
function loggedError(started: Started): string | undefined {
  const lines = readFrom(started.record.log, started.logOffset, 64 * 1024).split('\n')
  return lines
    .map((line) => line.replace(ansi, '').trim())
    .find((line) => errorLine.test(line) || errorName.test(line))
}

/**
 * Where a daemonizing start left things once the wait is over, for a failure that says so;
 * '' when `reason` (startFailure's) already says how the start ended.
 */
export function daemonNote(started: Started, reason = ''): string {
  const exit = started.exit()
  if (exit?.code !== 0) return ''
  const pidfile = started.files.appPidfile
  if (pidfile === undefined) {
    // startFailure's reason already says why the start ended: one explanation is enough.
    if (reason.includes(`\`${started.record.command}\` exited`)) return ''
    const { error, note } = exitZero(started)
    const lead = error ? `"${error}", then ` : ''
    return ` (${lead}\`${started.record.command}\` exited 0${note ? `: ${note}` : ''})`
  }
  if (pidIn(pidfile) === undefined)
    return ` (\`${started.record.command}\` exited 0 but never wrote ${displayPath(pidfile, started.files.root)})`
  return ''
}

/**
 * After a start that daemonized: take the pid its pidfile names as the server, but only when it
 * is provably the one just started (it carries the start's environment token, or works in
 * the repository and was running when the pidfile was written), and record it so that later
 * runs find it, and stop it, as their own. Returns the daemon's pid, or undefined.
 */
export async function adoptDaemon(started: Started): Promise<number | undefined> {
  const exit = started.exit()
  const pidfile = started.files.appPidfile
  if ((exit && exit.code !== 0) || pidfile === undefined) return undefined
  const status = await inspectPidfile(pidfile, started.files, started.record)
  if (status.kind !== 'running') return undefined
  const info = await processInfo(status.info.pid)
  // A server in the started group while the start still runs (`rails server` writing its
  // pidfile) is tracked through the start. One that left the group (setsid) is the daemon —
  // even when the start (`pg_ctl start -w`) has not been seen exiting yet. So is one left in
  // the group by a start that has ended (`nohup server & exit 0`): the group is still ours.
  const inGroup = info?.pgid !== undefined && info.pgid === started.record.pgid
  const startEnded = exit !== undefined || !isRunning(started.record.pid)
  if (!info || (inGroup && !startEnded)) return undefined
  writeRecord(started.files, {
    ...started.record,
    pid: info.pid,
    pgid: info.pgid ?? info.pid,
    startTime: info.startTime,
    cmdline: info.cmdline,
  })
  return info.pid
}

/** The app's pidfile names a live process (checked for ownership later, in adoptDaemon). */
export function pidfileNamesLive(started: Started): boolean {
  const file = started.files.appPidfile
  const pid = file === undefined ? undefined : pidIn(file)
  return pid !== undefined && isRunning(pid)
}
