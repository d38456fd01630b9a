// `restart`: a handler, like Ansible's. It runs when an earlier step changed something in
// this run, or in an earlier run that failed before reaching it (the engine keeps that
// pending), or when the server is down or unhealthy. It touches a file, runs a command,
// signals the pid in a pidfile, or stops and starts the server (`start`), then waits for
// `health`.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { constants } from 'node:os'
import path from 'node:path'
import * as z from 'zod'
import { describeChange } from '../engine/changes.js'
import { displayPath } from '../engine/state-dir.js'
import { stateDir } from '../engine/workdir.js'
import { CommandError, DevsetupError } from '../errors.js'
import { formatDuration, parseDuration } from '../recipe/duration.js'
import { relativePath } from '../recipe/schema.js'
import {
  type ChangedStep,
  type CheckContext,
  type CheckResult,
  defineStepType,
  type RunContext,
} from './define.js'
import { adoptDaemon, daemonNote, pidfileNamesLive, type Started, startFailure } from './restart/daemon.js'
import { localPort, probe, waitHealthy } from './restart/health.js'
import { describeHolder, portHolder } from './restart/port.js'
import { groupAlive, waitUntil } from './restart/processes.js'
import { findServer, logTail, removePidfile, serverFiles, startServer, stopServer } from './restart/server.js'
import { shorten } from './text.js'

const duration = (fallback: string) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .refine((v) => parseDuration(v) !== undefined, { message: 'expected a duration such as 30s or 2m' })
    .transform((v) => parseDuration(v)!)

const signal = z
  .string()
  .transform((v) => (v.toUpperCase().startsWith('SIG') ? v.toUpperCase() : `SIG${v.toUpperCase()}`))
  .refine((v) => v in constants.signals, { message: 'not a signal name (TERM, HUP, USR1, USR2, ...)' })

const health = z.string().refine(
  (v) => {
    try {
      const url = new URL(v)
      return ['http:', 'https:'].includes(url.protocol) || (url.protocol === 'tcp:' && url.port !== '')
    } catch {
      return false
    }
  },
  { message: 'expected an http(s):// URL or tcp://host:port' },
)

const schema = z
  .strictObject({
    touch: relativePath.optional().describe('A file whose mtime the server watches (tmp/restart.txt)'),
    command: z.string().min(1).optional().describe('A command that restarts the server (pm2 restart api)'),
    pidfile: relativePath.optional().describe("The server's pidfile; signalled, or stopped then started"),
    signal: signal
      .optional()
      .describe("Signal sent to the pidfile's process (USR2); default: stop, then `start`"),
    start: z.string().min(1).optional().describe('Starts the server when it is not running (detached)'),
    health: health.optional().describe('A URL that must answer 2xx, or tcp://host:port, after the restart'),
    port: z.number().int().min(1).max(65535).optional().describe('The port the server listens on'),
    when: z.enum(['changed', 'always']).default('changed').describe('changed (default): only after changes'),
    after: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional()
      .describe(
        'Restart only after these steps changed (ids); default: every step whose changes need a restart',
      ),
    log: relativePath
      .optional()
      .describe(
        "Where a started server writes its output (default: server.log in devsetup's state folder, outside the repository)",
      ),
    health_timeout: duration('30s').describe('How long to wait for `health` (default 30s)'),
    stop_timeout: duration('10s').describe('SIGTERM grace before SIGKILL (default 10s)'),
  })
  .superRefine((cfg, issue) => {
    const actions = (['touch', 'command', 'pidfile', 'start'] as const).filter((k) => cfg[k] !== undefined)
    if (actions.length === 0)
      issue.addIssue({
        code: 'custom',
        message: 'needs one of `touch`, `command`, `pidfile` or `start`',
        path: [],
      })
    if (cfg.touch && cfg.command)
      issue.addIssue({ code: 'custom', message: 'give `touch` or `command`, not both', path: ['command'] })
    if (cfg.signal && !cfg.pidfile)
      issue.addIssue({
        code: 'custom',
        message: '`signal` needs the `pidfile` of the process to signal',
        path: ['signal'],
      })
    if (cfg.pidfile && !cfg.signal && !cfg.touch && !cfg.command && !cfg.start)
      issue.addIssue({
        code: 'custom',
        message: '`pidfile` alone can stop the server but not start it again: add `start` or `signal`',
        path: ['pidfile'],
      })
  })

type RestartConfig = z.output<typeof schema>

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

export const restart = defineStepType({
  type: 'restart',
  description:
    'restart the app server when an earlier step changed something (touch, command, signal, start)',
  form: 'nested',
  schema,
  handler: true,
  title: (cfg) =>
    cfg.touch
      ? `Restart (touch ${cfg.touch})`
      : cfg.command
        ? `Restart (${shorten(cfg.command, 40)})`
        : `Restart ${shorten(cfg.start ?? cfg.pidfile ?? 'server', 40)}`,

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
        const staleNote = stale.length ? ` (stale pidfile: ${stale.map((s) => s.why).join('; ')})` : ''
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
