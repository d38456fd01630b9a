// `restart`: a handler, like Ansible's. It runs when an earlier step changed something that
// needs a restart (each type says whether its changes do; `after:` names the steps to follow)
// in this run, or in an earlier run that failed before reaching it (the engine keeps that
// pending), or when the server is down or unhealthy. It touches a file, runs a command,
// signals the pid in a pidfile, or stops and starts the server (`start`), then waits for
// `health`.

import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { assertFileInside } from '../engine/confine.js'
import { displayPath, repoStateDir } from '../engine/state-dir.js'
import { DevsetupError, UserError } from '../errors.js'
import { envFilesOf } from '../recipe/env-file-links.js'
import { type CheckContext, type CheckResult, defineStepBehavior, type RunContext } from './define.js'
import { crashInLog, crashNote } from './restart/crash.js'
import { adoptDaemon, type Started } from './restart/daemon.js'
import { probe } from './restart/health.js'
import { stopLeftovers } from './restart/leftovers.js'
import { describeHolder, knownPort, portHolder } from './restart/port.js'
import { waitReady } from './restart/ready.js'
import { trackedServerProblem } from './restart/running-check.js'
import type { RestartConfig, schema } from './restart/schema.js'
import {
  findServer,
  readRecord,
  removePidfile,
  serverFiles,
  startServer,
  stopServer,
} from './restart/server.js'
import { carriedSqlite } from './restart/sqlite-seen.js'
import { trigger } from './restart/trigger.js'
import { shorten } from './text.js'

const tracksServer = (cfg: RestartConfig) => cfg.pidfile !== undefined || cfg.start !== undefined

/**
 * The files the step reads, deletes (a stale pidfile), touches or appends to must not lead
 * out of the repository through a link it ships, nor into .git: refused before any is touched.
 */
function assertFilesInside(cfg: RestartConfig, { root, cwd }: CheckContext): void {
  for (const key of ['pidfile', 'touch', 'log', 'app_log'] as const) {
    const file = cfg[key]
    if (file !== undefined) assertFileInside(root, cwd, file, key)
  }
  // Only read (hashed into the server's record), but a linked one must not read outside either.
  for (const file of cfg.env_files ?? []) assertFileInside(root, cwd, file, 'env_files')
}

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
      cfg.start &&
        `${cfg.start}    # in the background, until ${cfg.health ? 'healthy' : 'it listens on its port (when known)'}`,
    ].filter((c): c is string => Boolean(c)),

  async check(cfg, ctx): Promise<CheckResult> {
    try {
      assertFilesInside(cfg, ctx)
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      return { met: false, reason: error.message, ...(error.hint ? { fix: error.hint } : {}) }
    }
    // The log of the server devsetup started: a watcher's crash line there says why it is down.
    const crash = () => {
      const record = tracksServer(cfg)
        ? readRecord(serverFiles(ctx.root, ctx.cwd, cfg.pidfile, cfg.start))
        : undefined
      return crashNote(record && crashInLog(record.log))
    }
    const healthy = async (): Promise<CheckResult | undefined> => {
      if (!cfg.health) return undefined
      const result = await probe(cfg.health, ctx.signal, cfg.health_status)
      return result.ok
        ? undefined
        : { met: false, reason: `health check failed: ${cfg.health}: ${result.detail}${crash()}` }
    }
    // Right after restarting, the changes are handled (even with `when: always`): only health is left to see.
    // And no table gone before the restart still gone after it (sqlite-tables.ts).
    if (ctx.phase === 'verify')
      return (await healthy()) ?? (await tablesStillGone(cfg, ctx)) ?? { met: true, reason: 'restarted' }

    const why = trigger(cfg, ctx)
    // A change of this run says why on its own; one left from an earlier run does not say that
    // the server has since crashed or stopped, which is what the reader needs first.
    if (why.run && !why.late) return { met: false, reason: why.run }
    const port = knownPort(cfg, ctx.env)
    if (tracksServer(cfg)) {
      const problem = await trackedServerProblem(cfg, ctx, port, crash)
      if (typeof problem === 'string')
        return { met: false, reason: why.run ? `${problem} (and ${why.run})` : problem }
      if (problem) return { met: false, ...problem }
    }
    if (why.run) return { met: false, reason: why.run }
    return (await healthy()) ?? { met: true, reason: why.skip ?? 'nothing changed' }
  },

  // Only `up` notes which open files of the server are SQLite databases, and their tables; the check reads the note.
  async settle(cfg, ctx) {
    const { noteServerSqlite } = await import('./restart/sqlite-seen.js')
    // Nothing changed in this run: the check's read of each database is what it has now.
    const reuse = ctx.changes.thisRun.length === 0
    let owned: ReadonlySet<string> | undefined
    await noteServerSqlite(serverFiles(ctx.root, ctx.cwd, cfg.pidfile, cfg.start), ctx.root, async (seen) => {
      const tables = await import('./restart/sqlite-tables.js')
      owned ??= tables.databaseFiles(cfg, ctx.root, ctx.cwd)
      return tables.withTables(seen, ctx.root, reuse, owned)
    })
  },

  async run(cfg, ctx) {
    assertFilesInside(cfg, ctx)
    if (ctx.forced && tracksServer(cfg)) {
      const { acceptLostTables } = await import('./restart/sqlite-tables.js')
      acceptLostTables(serverFiles(ctx.root, ctx.cwd, cfg.pidfile, cfg.start))
    }
    const summary = await act(cfg, ctx)
    const started = summary.started
    const readyNote = await waitReady(cfg, ctx, started)
    const daemon = started ? await adoptDaemon(started) : undefined
    if (started && daemon === undefined && started.exit()?.code === 0 && cfg.pidfile) {
      // Healthy, but devsetup could not tell the server is the one it started: it could not stop it later.
      throw new DevsetupError(
        `\`${started.record.command}\` exited 0 and ${cfg.pidfile} does not name the server it started`,
        { hint: 'the pidfile must hold the pid of the server that `start` forked' },
      )
    }
    const daemonText = daemon === undefined ? '' : `, daemonized as pid ${daemon}`
    const why = trigger(cfg, ctx)
    const lateText = why.late ? ` (because ${why.run})` : ''
    return { summary: `${summary.text}${daemonText}${readyNote}${lateText}` }
  },
})

/** After a restart: a noted table the app did not make again at boot (loaded only for a server devsetup tracks). */
async function tablesStillGone(cfg: RestartConfig, ctx: CheckContext): Promise<CheckResult | undefined> {
  if (!tracksServer(cfg)) return undefined
  const { tablesBack } = await import('./restart/sqlite-tables.js')
  return tablesBack(serverFiles(ctx.root, ctx.cwd, cfg.pidfile, cfg.start), ctx.stepId)
}

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

  // The databases the server held open that are still the same files: their note (and a loss in it) carries over.
  const sqlite = carriedSqlite(readRecord(files), ctx.root)
  let stopped = ''
  if (server) {
    const how = await stopServer(running, files, cfg.stop_timeout)
    stopped = `stopped pid ${server.info.pid} (${how}); `
    ctx.output(`stopped pid ${server.info.pid} with ${how}`)
  } else {
    const left = await stopLeftovers(files, cfg.stop_timeout)
    if (left > 0) ctx.output(`stopped ${left} process(es) the last start left running (they carry its token)`)
  }
  const port = knownPort(cfg, ctx.env)?.port
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
  const logFile = cfg.log ? path.resolve(ctx.cwd, cfg.log) : path.join(repoStateDir(ctx.root), 'server.log')
  const shownLog = displayPath(logFile, ctx.root)
  const { record, exit, logOffset } = await startServer(cfg.start!, {
    cwd: ctx.cwd,
    env: ctx.env,
    logFile,
    files,
    appLog: cfg.app_log && path.resolve(ctx.cwd, cfg.app_log),
    envFiles: envFilesOf(cfg),
    sqlite,
    address: {
      ...(port !== undefined ? { port } : {}),
      ...(cfg.health ? { health: cfg.health } : {}),
      ...(cfg.health_status ? { healthStatus: cfg.health_status } : {}),
      stopTimeoutMs: cfg.stop_timeout,
    },
  })
  ctx.output(`started \`${cfg.start}\` as pid ${record.pid}, output in ${shownLog}`)
  return {
    text: `${stopped}started \`${shorten(cfg.start!, 40)}\` (pid ${record.pid}, log ${shownLog})`,
    started: { record, exit, files, logOffset, cwd: ctx.cwd },
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
