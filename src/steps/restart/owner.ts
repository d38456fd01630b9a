// Is the process that answers on the server's port the server devsetup started? A URL that
// answers says only that something listens there: another app's dev server that took the port
// after the pre-start check (two apps' `up` at once, a watcher restarting) answers the health
// URL while the app's own `next dev` logs "Port 3000 is in use, trying 3001" and serves on
// 3001 (serpbear, Next 12). So the holder of the port must be one of ours: a process of the
// recorded group, one that carries the start's DEVSETUP_SERVER token (survives fork and setsid:
// a wrapper or a daemon), or a descendant or session mate of the recorded process or of the
// pid in the app's `pidfile:` (NodeBB's loader forks its workers in a session of its own).
// Where /proc cannot tell (not Linux, another user's socket, ours and another's on the same
// port under two addresses), nothing is claimed.
import path from 'node:path'
import { hasEnvEntry, procStat } from '../../engine/processes.js'
import { portTakenInLog, portTakenReason } from './crash.js'
import { pidIn } from './pidfile.js'
import { canSeeListeners, describeHolder, portHolderPids } from './port.js'
import { processInfo } from './processes.js'
import type { ServerRecord } from './server.js'

/** What the owner check needs of a server: its record, and the app's pidfile when it has one. */
export interface Owner {
  record: Pick<ServerRecord, 'pid' | 'pgid' | 'marker'>
  appPidfile?: string | undefined
}

// A container engine's port forwarder listens for the container (`docker compose up` as the
// start): its parent is the engine's daemon, never the start. Its socket says nothing about
// whose server answers behind it, so it is not judged.
const forwarders = new Set([
  'docker-proxy',
  'rootlessport',
  'rootlesskit',
  'gvproxy',
  'slirp4netns',
  'pasta',
  'vpnkit',
])

// procStat fields after `(comm)`: 0 state, 1 ppid, 2 pgrp, 3 session.
const PPID = 1
const PGRP = 2
const SESSION = 3

/** The pid and its ancestors up to init, nearest first (a cycle-free chain, at most 64 deep). */
function ancestry(pid: number): { pid: number; stat: string[] }[] {
  const chain: { pid: number; stat: string[] }[] = []
  for (let at = pid; at > 1 && chain.length < 64; ) {
    const stat = procStat(at)
    if (!stat) break
    chain.push({ pid: at, stat })
    at = Number(stat[PPID])
  }
  return chain
}

/** The session a process leads or belongs to, unless it is devsetup's own (which would match every process of the terminal). */
function ownSession(pid: number | undefined): string | undefined {
  const session = pid === undefined ? undefined : procStat(pid)?.[SESSION]
  return session === undefined || session === procStat(process.pid)?.[SESSION] ? undefined : session
}

function isOurs(pid: number, owner: Owner): boolean {
  const { record } = owner
  const daemon = owner.appPidfile === undefined ? undefined : pidIn(owner.appPidfile)
  const roots = new Set([record.pid, ...(daemon === undefined ? [] : [daemon])])
  const sessions = new Set([ownSession(record.pid), ownSession(daemon)].filter((s) => s !== undefined))
  const chain = ancestry(pid)
  if (record.marker && hasEnvEntry(pid, record.marker)) return true
  return chain.some(
    (p) =>
      roots.has(p.pid) ||
      Number(p.stat[PGRP]) === record.pgid ||
      sessions.has(p.stat[SESSION]!) ||
      (record.marker !== undefined && hasEnvEntry(p.pid, record.marker)),
  )
}

/**
 * Why the server on `port` is not the one devsetup started — "port 3000 is taken by pid 4121
 * (`node x`), not by the server devsetup started" — or undefined when it is ours, nothing
 * listens (another check's business), or /proc cannot tell whose socket it is.
 */
export async function foreignHolder(
  port: number | undefined,
  owner: Owner | undefined,
): Promise<string | undefined> {
  if (port === undefined || owner === undefined || !canSeeListeners()) return undefined
  // Two listeners (127.0.0.1 and ::1) may share the port: which one answered is not known
  // here, so only a port held by foreign processes alone is judged.
  const { pids, unseen } = portHolderPids(port)
  if (unseen || pids.length === 0 || pids.some((pid) => isOurs(pid, owner))) return undefined
  const holders = await Promise.all(
    pids.map(async (pid) => ({ pid, command: (await processInfo(pid))?.cmdline })),
  )
  if (holders.some((holder) => forwarders.has(path.basename(holder.command?.split(' ')[0] ?? ''))))
    return undefined
  return `${describeHolder(port, holders[0]!)}, not by the server devsetup started`
}

/**
 * For a check of a running server (doctor, `ps`): why what answers on its port is not it — its
 * log since the start says it did not get its port, or another process holds the port — or undefined.
 */
export async function notTheServer(
  port: number | undefined,
  owner: Owner & { log: string },
): Promise<string | undefined> {
  const taken = portTakenInLog(owner.log)
  return taken ? portTakenReason(taken) : foreignHolder(port, owner)
}
