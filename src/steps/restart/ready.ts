// After the restart: wait until the server is up, or fail as soon as it is provably not.
// Up means: `health` answers (any status below 500 unless `health_status` says), or, with no
// `health`, something listens on the server's port when a port is known (knownPort): a
// process that runs is not yet a server that serves. With neither (and no `pidfile:`), a
// process of the started group must listen on some TCP port, or the group settle idle as a
// worker that serves nothing (group-ready.ts). Elsewhere than Linux, or with a `pidfile:`, a
// started server must at least survive its first second.
// Down for good, between probes: the start exited (startFailure), or the app crashed under
// a watcher that stays alive (CrashWatch), or its log names a refused address nothing will
// listen on (refused.ts); or never up within health_timeout. Then what devsetup
// started, and only that (its process group and the tasks its start spawned into groups of their
// own: serverMembers), is stopped, so no dead or half-started watcher is left holding the next
// start's port. The failure is reported first and the stop follows
// (engine/handed-off.ts): a group of 26 processes took 1.6 s to stop, on top of the crash's
// detection, before the failure line was printed. How much grace the stop gives: stopCrashed.
import { trackGroup, untrackGroup } from '../../engine/groups.js'
import { handOff } from '../../engine/handed-off.js'
import { serverMembers, stopServerMembers } from '../../engine/processes.js'
import { displayPath } from '../../engine/state-dir.js'
import { CommandError } from '../../errors.js'
import { formatDuration } from '../../recipe/duration.js'
import type { RunContext } from '../define.js'
import { failureTail } from './app-log.js'
import { CrashWatch } from './crash.js'
import { daemonNote, pidfileNamesLive, type Started, startFailure } from './daemon.js'
import { waitForGroup } from './group-ready.js'
import { localPort, type Probe, probe, waitUntilUp } from './health.js'
import { groupListener, portListener } from './listener.js'
import { listensElsewhere, OtherPort } from './other-port.js'
import { foreignHolder } from './owner.js'
import { canSeeListeners, knownPort, portListening } from './port.js'
import { groupAlive, waitUntil } from './processes.js'
import { RefusedConnection } from './refused.js'
import type { RestartConfig } from './schema.js'
import { forgetServer, readRecord } from './server.js'
import { SteadyServerErrors } from './steady-errors.js'
import { unixSocketInstead } from './unix-socket.js'

/** Waits until the server is up; returns the note for the summary (", healthy in 1.2s"). */
export async function waitReady(
  cfg: RestartConfig,
  ctx: RunContext,
  started: Started | undefined,
): Promise<string> {
  const port = knownPort(cfg, ctx.env)
  // With no port known and no pidfile to follow, the started group's own sockets tell (group-ready.ts).
  const group =
    started && !cfg.health && !port && cfg.pidfile === undefined && canSeeListeners()
      ? groupListener(started.record.pgid, started.record.marker)
      : undefined
  const listener = port ? portListener(port.port) : group
  const watch =
    started &&
    new CrashWatch(
      started.record.log,
      started.logOffset,
      listener,
      started.record.pgid,
      started.record.marker,
    )
  const ours = ownAnswers(started, watch)
  // Whether this server ever answered since its start: its health URL (any status), or its port.
  const answered = () => ours.answered || (!ours.refused && watch?.listenedSinceStart() === true)
  const steady = started && new SteadyServerErrors(started.record.log, started.logOffset)
  const refused = started && new RefusedConnection(cfg, ctx.env, ctx.root, started)
  const otherPort =
    started && new OtherPort(started, cfg.health ? (localPort(cfg.health) ?? port?.port) : port?.port)
  const gaveUp = async () =>
    started
      ? (ours.refused ??
        steady?.verdict() ??
        startFailure(started) ??
        (await refused!.verdict()) ??
        (await refused!.explain(await watch!.crashed())) ??
        unixSocketInstead(started, port?.port) ??
        otherPort?.verdict())
      : undefined

  if (cfg.health) {
    const health = cfg.health
    const result = await waitUntilUp(
      ours.check(localPort(health) ?? port?.port, async () =>
        steady
          ? steady.note(await probe(health, ctx.signal, cfg.health_status))
          : probe(health, ctx.signal, cfg.health_status),
      ),
      `${health} not healthy`,
      cfg.health_timeout,
      ctx.signal,
      gaveUp,
    )
    if (result.ok) return `, healthy in ${formatDuration(result.ms)}`
    // Crashed, or never healthy in time: either way the group this run started is stopped, so a
    // half-started watcher does not keep the port (and its children) until someone notices.
    if (started) ctx.output(result.detail)
    const elsewhere =
      started && !result.gaveUp ? listensElsewhere(started, localPort(health) ?? port?.port) : ''
    const stopped = started
      ? `${elsewhere}${stopCrashed(cfg, ctx, started, result.gaveUp === true && !answered())}${result.gaveUp || elsewhere ? '' : ' (raise `health_timeout` if it only needs longer)'}`
      : ''
    const appLog =
      started?.record.appLog && `; the app's own log: ${displayPath(started.record.appLog, ctx.root)}`
    const log = started ? ` (log: ${displayPath(started.record.log, ctx.root)}${appLog || ''})` : ''
    throw new CommandError(
      started?.record.command ?? health,
      undefined,
      started ? failureTail(started.record, ctx.root) : [],
      `health check failed: ${result.detail}${started && !result.gaveUp ? daemonNote(started, result.detail) : ''}${stopped}${log}`,
    )
  }
  if (!started) return ''
  /** `stop`: the group still runs and is stopped, `crashed` when judged down (not only out of time). */
  const fail = async (why: string, stop?: { crashed: boolean }): Promise<never> => {
    if (stop) ctx.output(why)
    const stopped = stop ? stopCrashed(cfg, ctx, started, stop.crashed && !answered()) : ''
    throw new CommandError(
      started.record.command,
      undefined,
      failureTail(started.record, ctx.root),
      `${why}${stopped}`,
    )
  }

  // Did the start end within its first second? A start with a `pidfile:` may daemonize
  // (exit 0, the server in the pidfile); without a port to wait for, surviving that second is
  // all there is to see. With a port and no pidfile, the wait below notices an exit anyway.
  const exited =
    (cfg.pidfile !== undefined || listener === undefined) &&
    (await waitUntil(() => started.exit() !== undefined && !groupAlive(started.record.pgid), 1000))
  if (exited && cfg.pidfile !== undefined && started.exit()?.code === 0) {
    const named = await waitUntil(
      () => startFailure(started) !== undefined || pidfileNamesLive(started),
      cfg.health_timeout,
    )
    const failure = named
      ? startFailure(started)
      : `\`${started.record.command}\` exited 0 but never wrote ${cfg.pidfile}`
    if (failure) await fail(failure)
  } else if (exited) {
    await fail(`\`${started.record.command}\` exited right after starting${daemonNote(started)}`)
  }

  if (group) {
    const ready = await waitForGroup(cfg, ctx, started, watch!, group, refused!)
    if (!ready.ok) await fail(ready.detail, { crashed: ready.crashed })
    return (ready as { note: string }).note
  }
  if (port === undefined) {
    // Nothing else to ask but the log: a watcher that stays alive may have seen the app crash.
    const crash = await watch!.crashed()
    if (crash) await fail(crash, { crashed: true })
    return ''
  }
  const result = await waitUntilUp(
    ours.check(port.port, async () => {
      const listening = await portListening(port.port)
      return { ok: listening, detail: listening ? 'listening' : `nothing listens on port ${port.port}` }
    }),
    `\`${started.record.command}\` not listening on port ${port.port} (${port.from})`,
    cfg.health_timeout,
    ctx.signal,
    gaveUp,
  )
  if (!result.ok) await fail(result.detail, { crashed: result.gaveUp === true })
  return `, listening on port ${port.port} after ${formatDuration((result as { ms: number }).ms)}`
}

/**
 * An answer counts only from the server this run started: once the port answers, its holder
 * must be of the started server (owner.ts), and the log must not say the server did not get
 * its port ("Port 3000 is in use, trying 3001"). Else `refused` says why, and the wait ends
 * at once (gaveUp). Asked only on an answer, so a server still booting costs no /proc scan.
 */
function ownAnswers(started: Started | undefined, watch: CrashWatch | undefined) {
  const state = {
    refused: undefined as string | undefined,
    /** This server answered the health URL at least once, with any status (a 500 too). */
    answered: false,
    check: (port: number | undefined, attempt: () => Promise<Probe>) => async (): Promise<Probe> => {
      const seen = await attempt()
      if (!started) return seen
      // An answer that is not up (HTTP 503 while it boots) is not asked for its holder (a /proc
      // scan each probe): it counts as this server's, which only ever lengthens a crashed stop.
      if (!seen.ok) {
        state.answered ||= /^HTTP \d/.test(seen.detail)
        return seen
      }
      const owner = { record: started.record, appPidfile: started.files.appPidfile }
      state.refused = (await foreignHolder(port, owner)) ?? watch?.portTaken()
      state.answered ||= !state.refused
      return state.refused ? { ok: false, detail: `${seen.detail}, but not from this server` } : seen
    },
  }
  return state
}

// How long a crashed server that never answered gets between SIGTERM and SIGKILL. `up` waits
// for the stop before it exits, and the stop_timeout grace is for a server with something to
// save: etherpad with a bad port prints "Error occurred while starting Etherpad", stays alive
// idle, and on SIGTERM runs its own 3.5 s shutdown ("Forcing an unclean exit"), so `up` exited
// 5.1 s after the crash although it was reported at 1.6 s. A server devsetup judged crashed
// (not one that only ran out of health_timeout) and that never answered since this start (no
// HTTP answer of any status on its health URL, its port or its group never seen listening)
// served no request and holds no client's data; the group watch judged it idle or its app
// exited. Nothing of its can be lost that a shutdown would save, beyond what a SIGTERM handler
// does at once (close a pool, remove a pidfile): 0.2 s is that, and keeps crash → exit within
// the 2 s the report is due (about 1.2 s to see the crash, then this). A server that answered
// keeps its stop_timeout, and so do `devsetup stop` and a normal restart (server.ts stopServer).
export const neverAnsweredGraceMs = 200

/**
 * Stops the server devsetup started (its process group, and what its start spawned into groups
 * of its own: engine/processes.ts serverMembers), and forgets it, after the failure is
 * reported: handed off to the engine, which `up` waits for before it ends. Until then the
 * group is one of the run's own (engine/groups.ts), so a run that exits early kills it, and a
 * Ctrl-C meanwhile kills it at once rather than waiting out its grace. `neverAnswered`: judged
 * crashed before it ever answered, so its grace is neverAnsweredGraceMs.
 */
function stopCrashed(cfg: RestartConfig, ctx: RunContext, started: Started, neverAnswered: boolean): string {
  const { pgid, marker } = started.record
  if (!groupAlive(pgid) && serverMembers(pgid, marker).length === 0) return ''
  trackGroup(pgid)
  const graceMs = neverAnswered ? neverAnsweredGraceMs : cfg.stop_timeout
  // Ctrl-C while it is stopped: no more grace (a second one exits, killing the run's groups).
  const kill = () => void stopServerMembers(pgid, marker, 0)
  ctx.signal.addEventListener('abort', kill, { once: true })
  const stop = async () => {
    try {
      const stopped = await stopServerMembers(pgid, marker, graceMs)
      if (stopped.by === 'survived') return `its process group ${pgid} survived SIGKILL`
      // A retry of the step may have started the next server meanwhile: its record stays.
      if (readRecord(started.files)?.pgid === pgid) forgetServer(started.files)
      const by = ctx.signal.aborted && stopped.by === 'SIGTERM' ? 'SIGKILL on Ctrl-C' : stopped.by
      const why =
        neverAnswered && by === 'SIGKILL'
          ? `: it never answered, so ${formatDuration(graceMs)} of SIGTERM, not its stop_timeout`
          : ''
      return `stopped its process group ${pgid} (${by} in ${formatDuration(stopped.ms)}${why})`
    } finally {
      ctx.signal.removeEventListener('abort', kill)
      untrackGroup(pgid)
    }
  }
  handOff(ctx.stepId, stop())
  return `; stopping its process group ${pgid}`
}
