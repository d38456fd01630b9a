// Is a process still running, and stopping whole process groups. Shared by the lock (is its
// holder alive?), `restart` (the server) and the engine (leftovers of a killed run).
// A zombie (exited, not yet reaped) still answers kill(pid, 0); on machines whose PID 1 does
// not reap, it would stay "alive" forever, so on Linux /proc has the last word.
import { readdirSync, readFileSync } from 'node:fs'

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

/** Every process's pid, from /proc (Linux); empty where there is none to read. */
export function allPids(): number[] {
  if (!hasProc) return []
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
  } catch {
    return []
  }
}

/** CPU ticks a process used (utime + stime, /proc/<pid>/stat fields 14 and 15). */
export const cpuTicks = (stat: readonly string[]) => Number(stat[11]) + Number(stat[12])

/** The live (non-zombie) members of a process group and their /proc stat fields (Linux only). */
export function groupMembers(pgid: number): { pid: number; stat: string[] }[] {
  const members: { pid: number; stat: string[] }[] = []
  for (const pid of allPids()) {
    const stat = procStat(pid)
    if (stat && Number(stat[2]) === pgid && stat[0] !== 'Z' && stat[0] !== 'X') members.push({ pid, stat })
  }
  return members
}

/**
 * The processes of a server devsetup started: its process group, and, with the start's
 * environment token, what it spawned into groups of their own (turbo and nx run each task in a
 * new process group): those are in the session the start leads (devsetup starts it with setsid,
 * so the session's id is the group's), or carry the token where they left that session (a
 * daemon). turbo 2 strips the token from its tasks' environment; the session stays.
 */
export function serverMembers(pgid: number, marker?: string): { pid: number; stat: string[] }[] {
  const members = groupMembers(pgid)
  if (!marker) return members
  const seen = new Set(members.map((m) => m.pid))
  for (const pid of allPids()) {
    if (seen.has(pid) || pid === process.pid) continue
    const stat = procStat(pid)
    if (!stat || stat[0] === 'Z' || stat[0] === 'X') continue
    if (Number(stat[3]) === pgid || hasEnvEntry(pid, marker)) members.push({ pid, stat })
  }
  return members
}

/** Whether a process group has a live (non-zombie) member. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  return !hasProc || groupMembers(pgid).length > 0
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function waitUntil(done: () => boolean, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() >= deadline) return false
    await sleep(everyMs)
  }
  return true
}

function send(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal)
  } catch {
    // Already gone.
  }
}

/** How a stop ended: the signal that ended it (or `survived`) and how long it took. */
export interface Stopped {
  by: 'SIGTERM' | 'SIGKILL' | 'survived'
  ms: number
}

/**
 * Stops a whole process group (npm → sh → node --watch all get the signal, so no child
 * is left holding the port): SIGTERM, then SIGKILL when it has not ended within `graceMs`
 * (the step's `stop_timeout`).
 */
export function stopGroup(pgid: number, graceMs: number): Promise<Stopped> {
  return stopWith(
    (signal) => send(-pgid, signal),
    () => !groupAlive(pgid),
    graceMs,
  )
}

/** Stops a single process (not a group leader we may signal as a group). */
export function stopProcess(pid: number, graceMs: number): Promise<Stopped> {
  return stopWith(
    (signal) => send(pid, signal),
    () => !isRunning(pid),
    graceMs,
  )
}

/**
 * Adds the processes of a server devsetup started (serverMembers: its group, what its start
 * spawned into groups of their own in its session, the carriers of its token) to the targets:
 * a process that leads its group is signalled as that group, any other one alone.
 */
export function addServerMembers(
  pgid: number,
  marker: string | undefined,
  targets: StopTargets,
): StopTargets {
  targets.groups.add(pgid)
  for (const { pid, stat } of serverMembers(pgid, marker)) {
    const group = Number(stat[2])
    if (!targets.groups.has(group)) group === pid ? targets.groups.add(pid) : targets.single.add(pid)
  }
  return targets
}

export interface StopTargets {
  groups: Set<number>
  single: Set<number>
}

/**
 * Stops the targets at once, each with `graceMs` of SIGTERM, then SIGKILL. How it ended:
 * `survived` if anything did, else SIGKILL if any needed it; the longest time.
 */
export async function stopTargets({ groups, single }: StopTargets, graceMs: number): Promise<Stopped> {
  const endings = await Promise.all([
    ...[...groups].map((group) => stopGroup(group, graceMs)),
    ...[...single].map((pid) => stopProcess(pid, graceMs)),
  ])
  const ended = (by: Stopped['by']) => endings.some((e) => e.by === by)
  return {
    by: ended('survived') ? 'survived' : ended('SIGKILL') ? 'SIGKILL' : 'SIGTERM',
    ms: Math.max(...endings.map((e) => e.ms)),
  }
}

/** Stops every process of a server devsetup started (addServerMembers), `graceMs` of SIGTERM each. */
export function stopServerMembers(
  pgid: number,
  marker: string | undefined,
  graceMs: number,
): Promise<Stopped> {
  return stopTargets(addServerMembers(pgid, marker, { groups: new Set(), single: new Set() }), graceMs)
}

async function stopWith(
  signalIt: (signal: NodeJS.Signals) => void,
  gone: () => boolean,
  graceMs: number,
): Promise<Stopped> {
  const started = Date.now()
  signalIt('SIGTERM')
  if (await waitUntil(gone, graceMs, 50)) return { by: 'SIGTERM', ms: Date.now() - started }
  signalIt('SIGKILL')
  const killed = await waitUntil(gone, 3000, 50)
  return { by: killed ? 'SIGKILL' : 'survived', ms: Date.now() - started }
}
