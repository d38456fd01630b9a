// The run-time actions of the database step: reach the server (starting it when told how),
// and run migrate/seed/start with the database URL in their environment. Every error that
// leaves here has its passwords masked.
import { setTimeout as sleep } from 'node:timers/promises'
import { CommandError, DevsetupError } from '../../errors.js'
import { formatDuration } from '../../recipe/duration.js'
import { serverStepOf } from '../../recipe/server-steps.js'
import type { RunContext } from '../define.js'
import { maskSecrets } from './mask.js'
import type { DatabaseConfig } from './schema.js'
import { address, isWaitable, type Presence, type ServerDriver, ServerProblem } from './server.js'
import { sqlitePath } from './sqlite.js'
import type { ServerTarget } from './target.js'

export const checkWaitMs = 1000
export const startedServer = 'started the server'

export function mask(cfg: DatabaseConfig, text: string): string {
  return cfg.target.engine === 'sqlite' ? maskSecrets(text, []) : maskSecrets(text, [cfg.target.password])
}

/** Runs `fn`, rethrowing any error with passwords masked. */
export async function guarded<T>(cfg: DatabaseConfig, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw masked(cfg, error)
  }
}

/** The error as a DevsetupError with passwords masked in its message and hint. */
export function masked(cfg: DatabaseConfig, error: unknown): DevsetupError {
  if (error instanceof DevsetupError) {
    const fix = hintFor(cfg, error)
    const hint = fix === undefined ? {} : { hint: mask(cfg, fix) }
    return new DevsetupError(mask(cfg, error.message), hint)
  }
  return new DevsetupError(mask(cfg, (error as Error)?.message ?? String(error)))
}

/**
 * What fixes the error. A server that refuses connections is started by the recipe's own
 * `service` step of its engine when there is one: that step, never a `start:` to write.
 */
export function hintFor(cfg: DatabaseConfig, error: DevsetupError): string | undefined {
  const service = error instanceof ServerProblem && error.kind === 'unreachable' && serverStepOf(cfg)
  if (!service) return error.hint
  const step = `the recipe's \`service\` step "${service.title}" [${service.id}]`
  return service.after
    ? `move ${step} before this step: it starts this server, then this step can reach it`
    : `devsetup up --only ${service.id} — ${step} starts this server`
}

/** Probes, waiting up to `waitMs` while the server refuses connections or is still starting. */
export async function probeWithWait(
  driver: ServerDriver,
  waitMs: number,
  signal: AbortSignal,
): Promise<Presence> {
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      return await driver.probe()
    } catch (error) {
      if (!isWaitable(error) || Date.now() >= deadline || signal.aborted) throw error
      await sleep(Math.min(250, Math.max(0, deadline - Date.now())))
    }
  }
}

/**
 * Reaches the server, starting it with `start` when it is unreachable, and resolves with the
 * presence of the database from the probe that succeeded (so the caller need not connect again).
 */
export async function ensureServer(
  cfg: DatabaseConfig,
  target: ServerTarget,
  driver: ServerDriver,
  ctx: RunContext,
  done: string[],
): Promise<Presence> {
  let started = false
  try {
    // No wait here: the check before this run already gave the server its short wait.
    return await probeWithWait(driver, 0, ctx.signal)
  } catch (error) {
    // A role the URL names but the server lacks: created through an admin login, then retried.
    if (error instanceof ServerProblem && error.kind === 'auth' && driver.createRole) {
      const created = await guarded(cfg, () => driver.createRole!())
      if (!created) throw masked(cfg, error)
      done.push(created)
      return await guarded(cfg, () => probeWithWait(driver, 0, ctx.signal))
    }
    // A server that is starting up gets the same bounded wait as one we start.
    if (!isWaitable(error)) throw masked(cfg, error)
    if (error.kind === 'unreachable') {
      if (!cfg.start) throw masked(cfg, error)
      ctx.output(mask(cfg, error.message))
      await runCommand(cfg, ctx, cfg.start, '', cfg.startTimeoutMs)
      started = true
    }
  }
  let presence: Presence
  try {
    presence = await probeWithWait(driver, cfg.startTimeoutMs, ctx.signal)
  } catch (error) {
    if (!isWaitable(error)) throw masked(cfg, error)
    throw new DevsetupError(
      mask(
        cfg,
        `the server at ${address(target)} did not come up within ${formatDuration(cfg.startTimeoutMs)}${started ? ` after \`${cfg.start}\`` : ''}; last error: ${error.message}`,
      ),
      { hint: 'check the server log; a slow server may need a longer `start_timeout`' },
    )
  }
  if (started) done.push(startedServer)
  return presence
}

/**
 * Runs migrate, seed or start with DATABASE_URL (the step's URL, password included) in the
 * environment, never on the command line: commands are logged, their env is not.
 */
export async function runCommand(
  cfg: DatabaseConfig,
  ctx: RunContext,
  command: string,
  note: string,
  timeoutMs?: number,
): Promise<void> {
  const { target } = cfg
  const env: Record<string, string> = {}
  if (target.url !== undefined) env.DATABASE_URL = target.url
  if (target.engine === 'sqlite') env.DATABASE_PATH = sqlitePath(target.file, ctx.cwd)
  try {
    await ctx.exec(command, timeoutMs === undefined ? { env } : { env, timeoutMs })
  } catch (error) {
    if (!(error instanceof CommandError)) throw error
    const tail = error.tail.map((line) => mask(cfg, line))
    throw new CommandError(
      mask(cfg, error.command),
      error.commandExitCode,
      tail,
      mask(cfg, `${error.message}${note}`),
    )
  }
}
