// Leftovers of a killed run. devsetup kills its commands' process groups when it exits, but
// SIGKILL leaves no chance: the step's `sh` and `sleep 300` keep running. So while `up` runs,
// each command's group is recorded in the state folder (running/<pgid>.json: pid, start
// time, command, and a token put in the command's environment), and removed when it ends.
// The next `up`, holding the lock, stops the groups still recorded — only those provably its
// own: every member carries the token, and the leader has the recorded start time (a reused
// pid has another) — and says so. Anything else is left alone; without /proc (macOS),
// everything is, since nothing can be proved.
import { randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { formatDuration } from '../recipe/duration.js'
import { groupMembers, hasEnvEntry, isRunning, procStat, stopGroup } from './processes.js'

interface GroupRecord {
  pgid: number
  startTime: string | undefined
  command: string
  token: string
  startedAt: string
}

const tokenName = 'DEVSETUP_RUN'
const hasProc = process.platform === 'linux'
const token = randomUUID()
let recordDir: string | undefined

/** Records this run's command groups in `<stateDir>/running/` (only `up`: doctor writes nothing). */
export function recordGroupsIn(stateDir: string): void {
  recordDir = path.join(stateDir, 'running')
}

/** The variable a recorded command gets, so its children can be told apart later. */
export function groupMarkerEnv(): Record<string, string> {
  return recordDir ? { [tokenName]: token } : {}
}

export function recordGroup(pgid: number, command: string): void {
  if (!recordDir) return
  const record: GroupRecord = {
    pgid,
    startTime: procStat(pgid)?.[19],
    command,
    token,
    startedAt: new Date().toISOString(),
  }
  try {
    mkdirSync(recordDir, { recursive: true })
    writeFileSync(path.join(recordDir, `${pgid}.json`), JSON.stringify(record))
  } catch {
    // A record that cannot be written only costs the clean-up after a crash.
  }
}

export function forgetGroup(pgid: number): void {
  if (recordDir) rmSync(path.join(recordDir, `${pgid}.json`), { force: true })
}

/**
 * The recorded group is provably a leftover of ours: a live leader has the recorded start time
 * (a reused pid has another) and the run's token in its environment (/proc/<pid>/environ); with
 * the leader gone, a member carries the token (a group id is not reused while the group has
 * members, and only processes of its session can join it). A record alone proves nothing:
 * its start time can be copied from /proc.
 */
function provenOurs(record: GroupRecord, live: number[]): boolean {
  if (!record.token || record.startTime === undefined) return false
  const carriesToken = (pid: number) => hasEnvEntry(pid, `${tokenName}=${record.token}`)
  if (live.includes(record.pgid))
    return procStat(record.pgid)?.[19] === record.startTime && carriesToken(record.pgid)
  return live.some(carriesToken)
}

/**
 * Stops the leftovers of earlier runs recorded in `<stateDir>/running/`. Call with the lock
 * held (no other run is using them). Reports each stop, and each group it refused to touch.
 */
export async function stopLeftovers(stateDir: string, report: (line: string) => void): Promise<void> {
  const dir = path.join(stateDir, 'running')
  let files: string[]
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  } catch {
    return
  }
  for (const file of files) {
    let record: GroupRecord
    try {
      record = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as GroupRecord
    } catch {
      rmSync(path.join(dir, file), { force: true })
      continue
    }
    // Ours from this very process (cannot be, with the lock held, but never stop our own).
    if (record.token === token) continue
    const live = groupMembers(record.pgid).map((m) => m.pid)
    const lines = record.command.trim().split('\n')
    const command = lines.length > 1 ? `${lines[0]} …` : lines[0]
    const shown = `\`${command}\` (process group ${record.pgid}, started ${record.startedAt})`
    if (live.length === 0 && !isRunning(record.pgid)) {
      rmSync(path.join(dir, file), { force: true })
      continue
    }
    if (!hasProc) {
      report(
        `not stopping process group ${record.pgid}: without /proc devsetup cannot prove it is still ${shown}; stop it yourself if it is`,
      )
    } else if (!provenOurs(record, live)) {
      report(`not stopping process group ${record.pgid}: it is no longer ${shown}`)
    } else {
      const stopped = await stopGroup(record.pgid, 3000)
      report(
        stopped.by === 'survived'
          ? `could not stop ${shown}, left by a devsetup run that was killed: it survived SIGKILL`
          : `stopped ${shown}, left running by a devsetup run that was killed (${stopped.by} in ${formatDuration(stopped.ms)})`,
      )
    }
    rmSync(path.join(dir, file), { force: true })
  }
}
