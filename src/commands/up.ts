// `devsetup up` (the default): check every step, run the unmet ones in order, verify them.
import path from 'node:path'
import chalk from 'chalk'
import { runEngine } from '../engine/engine.js'
import { EngineEvents, type StepOutcome } from '../engine/events.js'
import { finishHandedOff } from '../engine/handed-off.js'
import { acquireLock } from '../engine/lock.js'
import { recordGroupsIn, stopLeftovers } from '../engine/orphans.js'
import { announceRecipeChanges, recipeChanges, snapshotRecipe } from '../engine/recipe-changes.js'
import { reportFailures } from '../engine/render/failures.js'
import { summarize, summaryLine } from '../engine/render/format.js'
import { attachJsonRenderer } from '../engine/render/json.js'
import { attachPlainRenderer } from '../engine/render/plain.js'
import { RunLog } from '../engine/run-log.js'
import { selector } from '../engine/select.js'
import { StateStore } from '../engine/state.js'
import { displayPath, repoStateDir } from '../engine/state-dir.js'
import { cloneIdentity, ensureStateDir } from '../engine/workdir.js'
import { ExitCode as Exit, type ExitCode, InterruptedError } from '../errors.js'
import { findRecipe, loadRecipeCached } from '../recipe/load.js'
import { allSteps, type Recipe } from '../recipe/types.js'
import { type Output, processOutput, type RunOptions, renderMode } from './options.js'

export async function up(options: RunOptions): Promise<ExitCode> {
  const output: Output = options.output ?? processOutput
  const env = options.env ?? process.env
  const file = findRecipe(options.cwd, options.recipe)
  // The user's state folder only: never a `.devsetup/` the repository itself may carry (cache.ts).
  const cacheDir = repoStateDir(path.dirname(file), env)
  const { recipe, keep } = await loadRecipeCached(file, env, options.signal, { stateDir: cacheDir })
  selector(recipe, options) // unknown --only / --skip ids fail before anything runs
  const dryRun = options.dryRun ?? false
  const warn = (message: string) => output.err(chalk.yellow(`warning: ${message}`))
  const dir = dryRun ? repoStateDir(recipe.root, env) : ensureStateDir(recipe.root, warn, env)
  // The next run skips parsing this recipe while it and the variables it uses stay the same
  // (src/recipe/cache.ts); kept whatever this run's outcome, since the parse succeeded.
  if (!dryRun && dir === cacheDir) keep()
  const release = dryRun ? () => {} : await acquireLock(dir, 'devsetup up', { warn })
  const log = dryRun ? undefined : RunLog.open(dir)
  try {
    if (!dryRun) {
      // With the lock held: whatever a killed run left running is stopped before anything starts.
      await stopLeftovers(dir, (line) => output.err(chalk.yellow(line)))
      recordGroupsIn(dir)
    }
    const state = StateStore.load(dir, {
      readOnly: dryRun,
      clone: cloneIdentity(recipe.root),
      warn: (m) => output.err(chalk.yellow(`warning: ${m}`)),
    })
    const events = new EngineEvents()
    const mode = renderMode(options, output)
    const recipeNow = snapshotRecipe(recipe)
    announceRecipeChanges(recipeChanges(state.recipeSnapshot, recipeNow), output.out, mode === 'json')
    const rendering =
      mode === 'tty'
        ? // listr2 only for a terminal: a piped or CI run does not load it.
          (await import('../engine/render/listr.js')).runListrRenderer(
            recipe,
            events,
            options.verbose ?? false,
          )
        : mode === 'json'
          ? attachJsonRenderer(events, output.out, options.verbose ?? false)
          : attachPlainRenderer(events, output.out, options.verbose ?? false)
    const runStarted = Date.now()
    const result = await runEngine({
      recipe,
      mode: 'up',
      selection: options,
      force: options.force ?? false,
      dryRun,
      signal: options.signal ?? new AbortController().signal,
      state,
      log,
      events,
      env,
    })
    await rendering

    const summary = summarize(result.outcomes, result.durationMs)
    const statuses = [...result.outcomes.values()].map((o) => o.status)
    if (!dryRun) {
      const status = result.interrupted
        ? 'interrupted'
        : result.failed
          ? 'failed'
          : statuses.includes('changed')
            ? 'changed'
            : 'ok'
      // Only steps that were checked (or run) to their end have a duration worth keeping
      // (`devsetup stats`): a step cut short by Ctrl-C took as long as the person waited.
      const timings = Object.fromEntries(
        [...result.outcomes]
          .filter(([, o]) => o.status !== 'skipped' && o.status !== 'not-run' && o.status !== 'interrupted')
          .map(([id, o]) => [id, Math.round(o.durationMs)]),
      )
      state.addRun({
        startedAt: new Date(Date.now() - result.durationMs).toISOString(),
        durationMs: result.durationMs,
        status,
        steps: timings,
      })
      if (status === 'ok' || status === 'changed') state.rememberRecipe(recipeNow)
      state.save()
    }
    // A run that wrote no line has no log file (run-log.ts).
    const logFile = log?.written ? displayPath(log.file, options.cwd, env) : undefined
    const server = await startedServer(recipe, result.outcomes, runStarted)
    const serverLog = server && displayPath(server.log, options.cwd, env)
    if (mode !== 'json') reportFailures(recipe, result.outcomes, logFile, output.err)
    // After the failure report, before the last line: a crashed server's group being stopped.
    for (const { stepId, line } of await finishHandedOff()) {
      log?.write(stepId, line)
      if (mode === 'json') output.out(JSON.stringify({ event: 'step:after', step: stepId, reason: line }))
      else output.err(`  [${stepId}] ${line}`)
    }
    if (mode === 'json') {
      output.out(
        JSON.stringify({
          event: 'summary',
          status: result.interrupted ? 'interrupted' : result.failed ? 'failed' : 'ok',
          ...summary,
          ...(logFile ? { log: logFile } : {}),
          ...(server ? { server: { pid: server.pid, log: serverLog } } : {}),
        }),
      )
    } else {
      const nothingToDo =
        !result.interrupted &&
        !statuses.some((s) => s === 'changed' || s === 'failed' || s === 'would-run' || s === 'warned')
      const note = dryRun
        ? chalk.cyan(' (dry run: nothing was changed)')
        : nothingToDo
          ? chalk.green(' — everything already set up, nothing changed')
          : ''
      output.out(`\n${summaryLine(summary)}${note}`)
      if (server)
        output.out(
          `dev server: \`${server.command}\` (pid ${server.pid}), its log: ${serverLog} — \`devsetup ps\` shows it, \`devsetup stop server\` stops it`,
        )
    }
    if (result.interrupted) throw new InterruptedError()
    return result.failed ? Exit.failed : Exit.ok
  } finally {
    log?.close()
    if (log?.lost) warn(log.lost)
    release()
  }
}

/**
 * The dev server a `restart` step started (or restarted) in this run, from devsetup's record of
 * it: where its log is goes in the run's last lines. Read only when such a step changed something.
 */
async function startedServer(recipe: Recipe, outcomes: ReadonlyMap<string, StepOutcome>, runStarted: number) {
  const changed = allSteps(recipe).some(
    (step) => step.type === 'restart' && outcomes.get(step.id)?.status === 'changed',
  )
  if (!changed) return undefined
  const { readRecord, serverFiles } = await import('../steps/restart/server.js')
  const record = readRecord(serverFiles(recipe.root, recipe.root, undefined, undefined))
  // Started before this run began: this run signalled or touched it, it did not start it.
  if (!record || Date.parse(record.startedAt) < runStarted) return undefined
  return record
}
