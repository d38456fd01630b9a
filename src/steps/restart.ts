// `restart`: a handler, like Ansible's. It runs when an earlier step changed something that
// needs a restart (each type says whether its changes do; `after:` names the steps to follow)
// in this run, or in an earlier run that failed before reaching it (the engine keeps that
// pending), or when the server is down or unhealthy. It touches a file, runs a command,
// signals the pid in a pidfile, or stops and starts the server (`start`), then waits for
// `health`.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describeChange } from '../engine/changes.js'
import { displayPath } from '../engine/state-dir.js'
import { stateDir } from '../engine/workdir.js'
import { CommandError, DevsetupError } from '../errors.js'
import { formatDuration } from '../recipe/duration.js'
import {
  type ChangedStep,
  type CheckContext,
  type CheckResult,
  defineStepBehavior,
  type RunContext,
} from './define.js'
import { adoptDaemon, daemonNote, pidfileNamesLive, type Started, startFailure } from './restart/daemon.js'
import { localPort, probe, waitHealthy } from './restart/health.js'
import { describeHolder, portHolder } from './restart/port.js'
import { groupAlive, waitUntil } from './restart/processes.js'
import type { RestartConfig, schema } from './restart/schema.js'
import { findServer, logTail, removePidfile, serverFiles, startServer, stopServer } from './restart/server.js'
import { shorten } from './text.js'

/** Why the restart must run, or why the changes seen do not need one. */
function trigger(cfg: RestartConfig, ctx: CheckContext): { run?: string; skip?: string } {
  if (cfg.when === 'always') return { run: 'runs every time (when: always)' }
  const changed = ctx.changes.steps
  const matters = (c: ChangedStep) => (cfg.after ? cfg.after.includes(c.id) : c.restarts)
  const relevant = changed.filter(matters)
  if (relevant.length > 0) {
    const earlier = relevant.every((c) => !c.thisRun) ? ' in an earlier run' : ''
    return { run: `${relevant.map(describeChange).join(', ')} changed${earlier}` }
  }
  // A state file from before changes were recorded per step.
  if (changed.length === 0 && ctx.changes.pendingFromEarlierRun)
    return { run: 'restart pending from an earlier run' }
  if (changed.length === 0) return {}
  const ids = changed.map((c) => c.id).join(', ')
  return {
    skip: cfg.after
      ? `only ${ids} changed; this restart follows ${cfg.after.join(', ')}`
      : `only ${ids} changed, which needs no restart`,
  }
}

const tracksServer = (cfg: RestartConfig) => cfg.pidfile !== undefined || cfg.start !== undefined
const serverPort = (cfg: RestartConfig) => cfg.port ?? localPort(cfg.health)

export const restart = defineStepBehavior<typeof schema>({
  type: 'restart',
  description:
    'restart the app server when an earlier step changed something (touch, command, signal, start)',
  form: 'nested',
  handler: true,
  title: (cfg) =>
    cfg.touch
      ? `Restart (touch ${cfg.touch})`
      : cfg.command
        ? `Restart (${shorten(cfg.command, 40)})`
        : `Restart ${shorten(cfg.start ?? cfg.pidfile ?? 'server', 40)}`,
  preview: (cfg) =>
    [
      cfg.touch && `touch ${cfg.touch}`,
      cfg.command,
      cfg.pidfile && cfg.signal && `kill -${cfg.signal.replace(/^SIG/, '')} "$(cat ${cfg.pidfile})"`,
      cfg.start && `${cfg.start}    # in the background, until ${cfg.health ? 'healthy' : 'it runs'}`,
    ].filter((c): c is string => Boolean(c)),

  async check(cfg, ctx): Promise<CheckResult> {
    const healthy = async (): Promise<CheckResult | undefined> => {
      if (!cfg.health) return undefined
      const result = await probe(cfg.health, ctx.signal)
      return result.ok
        ? undefined
        : { met: false, reason: `health check failed: ${cfg.health}: ${result.detail}` }
    }
    // Right after restarting, the changes are handled (even with `when: always`): only health is left to see.
    if (ctx.phase === 'verify') return (await healthy()) ?? { met: true, reason: 'restarted' }

    const why = trigger(cfg, ctx)
    if (why.run) return { met: false, reason: why.run }
    if (tracksServer(cfg)) {
      const files = serverFiles(ctx.root, ctx.cwd, cfg.pidfile, cfg.start)
      const { running, stale } = await findServer(files)
      if (running.length === 0 && cfg.start) {
        const port = serverPort(cfg)
        const holder = port === undefined ? undefined : await portHolder(port)
        const staleNote = stale.length
          ? ` (stale pidfile: ${[...new Set(stale.map((s) => s.why))].join('; ')})`
          : ''
        const portNote = holder && port !== undefined ? `; ${describeHolder(port, holder)}` : ''
        return { met: false, reason: `server not running${staleNote}${portNote}` }
      }
      if (running.length === 0)
        return { met: false, reason: `server not running (${cfg.pidfile}: ${stale[0]?.why ?? 'missing'})` }
    }
    return (await healthy()) ?? { met: true, reason: why.skip ?? 'nothing changed' }
  },

  async run(cfg, ctx) {
    const summary = await act(cfg, ctx)
    const started = summary.started
    let healthNote = ''
    if (cfg.health) {
      const result = await waitHealthy(cfg.health, cfg.health_timeout, ctx.signal, () =>
        started ? startFailure(started) : undefined,
      )
      if (!result.ok) {
        const log = started ? ` (log: ${displayPath(started.record.log, ctx.root)})` : ''
        throw new CommandError(
          started?.record.command ?? cfg.health,
          undefined,
          started ? logTail(started.record.log) : [],
          `health check failed: ${result.detail}${started ? daemonNote(started) : ''}${log}`,
        )
      }
      healthNote = `, healthy in ${formatDuration(result.ms)}`
    } else if (started) {
      // No health check to wait for: at least make sure it did not die at once.
      await waitUntil(() => started.exit() !== undefined && !groupAlive(started.record.pgid), 1000)
      const daemonizing = started.exit()?.code === 0 && cfg.pidfile !== undefined
      // A daemonizing start is up once its pidfile names a live server.
      const failure = daemonizing
        ? (await waitUntil(
            () => startFailure(started) !== undefined || pidfileNamesLive(started),
            cfg.health_timeout,
          ))
          ? startFailure(started)
          : `\`${started.record.command}\` exited 0 but never wrote ${cfg.pidfile}`
        : started.exit() && !groupAlive(started.record.pgid)
          ? `\`${started.record.command}\` exited right after starting${daemonNote(started)}`
          : undefined
      if (failure)
        throw new CommandError(started.record.command, undefined, logTail(started.record.log), failure)
    }
    const daemon = started ? await adoptDaemon(started) : undefined
    if (started && daemon === undefined && started.exit()?.code === 0 && cfg.pidfile) {
      // Healthy, but devsetup could not tell the server is the one it started: it could not stop it later.
      throw new DevsetupError(
        `\`${started.record.command}\` exited 0 and ${cfg.pidfile} does not name the server it started`,
        { hint: 'the pidfile must hold the pid of the server that `start` forked' },
      )
    }
    const daemonText = daemon === undefined ? '' : `, daemonized as pid ${daemon}`
    return { summary: `${summary.text}${daemonText}${healthNote}` }
  },
})

interface Action {
  text: string
  started?: Started
}

async function act(cfg: RestartConfig, ctx: RunContext): Promise<Action> {
  const files = serverFiles(ctx.root, ctx.cwd, cfg.pidfile, cfg.start)
  const { running, stale } = tracksServer(cfg) ? await findServer(files) : { running: [], stale: [] }
  for (const pidfile of stale) {
    // Stale: its pid is dead or belongs to something else. Never signal it; just remove the file.
    ctx.output(`removed stale ${displayPath(pidfile.file, ctx.root)}: ${pidfile.why}`)
    removePidfile(pidfile.file)
  }
  // The signal goes to the app's own process (a puma master), never to a wrapper shell.
  const app = running.find((server) => server.file === files.appPidfile)
  const server = app ?? running[0]
  if (app && cfg.signal) {
    process.kill(app.info.pid, cfg.signal)
    return { text: `sent ${cfg.signal} to pid ${app.info.pid}` }
  }
  if (server && (cfg.touch || cfg.command)) return runAction(cfg, ctx)
  if (!server && !cfg.start) {
    if (cfg.touch || cfg.command) return runAction(cfg, ctx)
    throw new DevsetupError(
      `the server is not running (${cfg.pidfile}: ${stale[0]?.why ?? 'missing'}) and there is no \`start\``,
      { hint: 'start the server, or add `start:` to the restart step' },
    )
  }

  let stopped = ''
  if (server) {
    const how = await stopServer(running, files, cfg.stop_timeout)
    stopped = `stopped pid ${server.info.pid} (${how}); `
    ctx.output(`stopped pid ${server.info.pid} with ${how}`)
  }
  const port = serverPort(cfg)
  if (port !== undefined) {
    // A child that escaped the group (or someone else's server) would make the start fail
    // with a vague "address in use": name the holder instead.
    let holder = await portHolder(port)
    // A server that just stopped may take a moment to release its socket.
    for (const deadline = Date.now() + 3000; holder && server && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      holder = await portHolder(port)
    }
    if (holder) {
      throw new DevsetupError(`cannot start \`${cfg.start}\`: ${describeHolder(port, holder)}`, {
        hint: holder.pid ? `stop it (kill ${holder.pid}) or change the port` : 'stop it or change the port',
      })
    }
  }
  const logFile = cfg.log ? path.resolve(ctx.cwd, cfg.log) : path.join(stateDir(ctx.root), 'server.log')
  const shownLog = displayPath(logFile, ctx.root)
  const { record, exit } = await startServer(cfg.start!, { cwd: ctx.cwd, env: ctx.env, logFile, files })
  ctx.output(`started \`${cfg.start}\` as pid ${record.pid}, output in ${shownLog}`)
  return {
    text: `${stopped}started \`${shorten(cfg.start!, 40)}\` (pid ${record.pid}, log ${shownLog})`,
    started: { record, exit, files },
  }
}

async function runAction(cfg: RestartConfig, ctx: RunContext): Promise<Action> {
  if (cfg.touch) {
    const file = path.resolve(ctx.cwd, cfg.touch)
    mkdirSync(path.dirname(file), { recursive: true })
    const now = new Date()
    try {
      utimesSync(file, now, now)
    } catch {
      writeFileSync(file, '', { flag: 'a' })
    }
    return { text: `touched ${cfg.touch}` }
  }
  await ctx.exec(cfg.command!)
  return { text: `ran \`${shorten(cfg.command!, 40)}\`` }
}
