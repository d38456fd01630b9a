// After the restart: wait until the server is up, or fail as soon as it is provably not.
// Up means: `health` answers (any status below 500 unless `health_status` says), or, with no
// `health`, something listens on the server's port when a port is known (knownPort): a
// process that runs is not yet a server that serves. With neither (and no `pidfile:`), a
// process of the started group must listen on some TCP port, or the group settle idle as a
// worker that serves nothing (group-ready.ts). Elsewhere than Linux, or with a `pidfile:`, a
// started server must at least survive its first second.
// Down for good, between probes: the start exited (startFailure), or the app crashed under
// a watcher that stays alive (CrashWatch); or never up within health_timeout. Then the process
// group devsetup started, and only that group, is stopped, so no dead or half-started watcher is
// left holding the next start's port. The failure is reported first and the stop follows
// (engine/handed-off.ts): a group of 26 processes took 1.6 s to stop, on top of the crash's
// detection, before the failure line was printed.
import { killGroup, trackGroup, untrackGroup } from '../../engine/groups.js'
import { handOff } from '../../engine/handed-off.js'
import { displayPath } from '../../engine/state-dir.js'
import { CommandError } from '../../errors.js'
import { formatDuration } from '../../recipe/duration.js'
import type { RunContext } from '../define.js'
import { failureTail } from './app-log.js'
import { CrashWatch, groupListener, portListener } from './crash.js'
import { daemonNote, pidfileNamesLive, type Started, startFailure } from './daemon.js'
import { waitForGroup } from './group-ready.js'
import { localPort, type Probe, probe, waitUntilUp } from './health.js'
import { foreignHolder } from './owner.js'
import { canSeeListeners, knownPort, portListening } from './port.js'
import { groupAlive, stopGroup, waitUntil } from './processes.js'
import type { RestartConfig } from './schema.js'
import { forgetServer, readRecord } from './server.js'
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
  const gaveUp = async () =>
    started
      ? (ours.refused ??
        startFailure(started) ??
        (await watch!.crashed()) ??
        unixSocketInstead(started, port?.port))
      : undefined

  if (cfg.health) {
    const health = cfg.health
    const result = await waitUntilUp(
      ours.check(localPort(health) ?? port?.port, () => probe(health, ctx.signal, cfg.health_status)),
      `${health} not healthy`,
      cfg.health_timeout,
      ctx.signal,
      gaveUp,
    )
    if (result.ok) return `, healthy in ${formatDuration(result.ms)}`
    // Crashed, or never healthy in time: either way the group this run started is stopped, so a
    // half-started watcher does not keep the port (and its children) until someone notices.
    if (started) ctx.output(result.detail)
    const stopped = started
      ? `${stopCrashed(cfg, ctx, started)}${result.gaveUp ? '' : ' (raise `health_timeout` if it only needs longer)'}`
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
  const fail = async (why: string, crashed: boolean): Promise<never> => {
    if (crashed) ctx.output(why)
    const stopped = crashed ? stopCrashed(cfg, ctx, started) : ''
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
    if (failure) await fail(failure, false)
  } else if (exited) {
    await fail(`\`${started.record.command}\` exited right after starting${daemonNote(started)}`, false)
  }

  if (group) {
    const ready = await waitForGroup(cfg, ctx, started, watch!, group)
    if (!ready.ok) await fail(ready.detail, true)
    return (ready as { note: string }).note
  }
  if (port === undefined) {
    // Nothing else to ask but the log: a watcher that stays alive may have seen the app crash.
    const crash = await watch!.crashed()
    if (crash) await fail(crash, true)
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
  if (!result.ok) await fail(result.detail, true)
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
    check: (port: number | undefined, attempt: () => Promise<Probe>) => async (): Promise<Probe> => {
      const seen = await attempt()
      if (!seen.ok || !started) return seen
      const owner = { record: started.record, appPidfile: started.files.appPidfile }
      state.refused = (await foreignHolder(port, owner)) ?? watch?.portTaken()
      return state.refused ? { ok: false, detail: `${seen.detail}, but not from this server` } : seen
    },
  }
  return state
}

/**
 * Stops the process group devsetup started for this server, and forgets it, after the failure
 * is reported: handed off to the engine, which `up` waits for before it ends. Until then the
 * group is one of the run's own (engine/groups.ts), so a run that exits early kills it, and a
 * Ctrl-C meanwhile kills it at once rather than waiting out its `stop_timeout`.
 */
function stopCrashed(cfg: RestartConfig, ctx: RunContext, started: Started): string {
  const { pgid } = started.record
  if (!groupAlive(pgid)) return ''
  trackGroup(pgid)
  // Ctrl-C while it is stopped: no more grace (a second one exits, killing the run's groups).
  const kill = () => killGroup(pgid, 'SIGKILL')
  ctx.signal.addEventListener('abort', kill, { once: true })
  const stop = async () => {
    try {
      const stopped = await stopGroup(pgid, cfg.stop_timeout)
      if (stopped.by === 'survived') return `its process group ${pgid} survived SIGKILL`
      // A retry of the step may have started the next server meanwhile: its record stays.
      if (readRecord(started.files)?.pgid === pgid) forgetServer(started.files)
      const by = ctx.signal.aborted && stopped.by === 'SIGTERM' ? 'SIGKILL on Ctrl-C' : stopped.by
      return `stopped its process group ${pgid} (${by} in ${formatDuration(stopped.ms)})`
    } finally {
      ctx.signal.removeEventListener('abort', kill)
      untrackGroup(pgid)
    }
  }
  handOff(ctx.stepId, stop())
  return `; stopping its process group ${pgid}`
}
