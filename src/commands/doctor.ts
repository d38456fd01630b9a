// `devsetup doctor`: the same recipe as a readiness checklist. Checks only; changes nothing.
// `--report` also renders it as JUnit XML, Markdown or an HTML page (src/report/); a report
// never changes what is checked or the exit code.
import path from 'node:path'
import chalk from 'chalk'
import { runEngine } from '../engine/engine.js'
import { EngineEvents } from '../engine/events.js'
import { announceRecipeChanges, recipeChanges, snapshotRecipe } from '../engine/recipe-changes.js'
import { durationLabel, statusLabel, summarize, summaryLine, symbol } from '../engine/render/format.js'
import { attachJsonRenderer } from '../engine/render/json.js'
import { selector } from '../engine/select.js'
import { StateStore } from '../engine/state.js'
import { repoStateDir } from '../engine/state-dir.js'
import { cloneIdentity } from '../engine/workdir.js'
import { ExitCode as Exit, type ExitCode, InterruptedError } from '../errors.js'
import { findRecipe, loadRecipeCached } from '../recipe/load.js'
import { reportSteps } from '../report/model.js'
import { describeCheckout } from '../report/repository.js'
import { describeFormat, parseReportTargets, writeReports } from '../report/targets.js'
import { type Output, processOutput, type RunOptions } from './options.js'

export interface DoctorOptions extends RunOptions {
  /** Formats (to stdout) or file names; see src/report/targets.ts. */
  report?: string[] | undefined
}

export async function doctor(options: DoctorOptions): Promise<ExitCode> {
  const output: Output = options.output ?? processOutput
  const env = options.env ?? process.env
  const targets = parseReportTargets(options.report ?? [], options.cwd, options.json ?? false)
  // A report on stdout replaces the checklist there, as --json does.
  const quiet = targets.some((t) => !t.file)
  const file = findRecipe(options.cwd, options.recipe)
  // The parse an earlier `up` kept is used, never written: doctor changes nothing.
  const cacheDir = repoStateDir(path.dirname(file), env)
  const { recipe } = await loadRecipeCached(file, env, options.signal, { stateDir: cacheDir })
  selector(recipe, options)
  const state = StateStore.load(repoStateDir(recipe.root, env), {
    readOnly: true,
    clone: cloneIdentity(recipe.root),
    warn: (m) => output.err(chalk.yellow(`warning: ${m}`)),
  })
  const changes = recipeChanges(state.recipeSnapshot, snapshotRecipe(recipe))
  const events = new EngineEvents()
  if (options.json) {
    announceRecipeChanges(changes, output.out, true)
    attachJsonRenderer(events, output.out, false)
  } else if (!quiet) {
    output.out(chalk.bold(`devsetup doctor — ${file}`))
    announceRecipeChanges(changes, output.out, false)
    events.on('step:end', (step, outcome) => {
      output.out(
        `${symbol(outcome.status)} ${step.title} — ${statusLabel(outcome)}${durationLabel(outcome.durationMs)}`,
      )
      if (outcome.fix) output.out(`    ${chalk.dim('fix:')} ${outcome.fix}`)
    })
  }
  const generatedAt = new Date()
  const result = await runEngine({
    recipe,
    mode: 'doctor',
    selection: options,
    force: false,
    dryRun: true,
    signal: options.signal ?? new AbortController().signal,
    state,
    log: undefined,
    events,
    env,
  })
  if (result.interrupted) throw new InterruptedError()
  const summary = summarize(result.outcomes, result.durationMs)
  if (targets.length > 0) {
    const text = await writeReports(targets, {
      recipeFile: path.relative(options.cwd, file) || file,
      checkout: describeCheckout(recipe.root),
      generatedAt,
      durationMs: result.durationMs,
      ready: !result.failed,
      steps: reportSteps(recipe, result.outcomes),
      changes,
      lastSuccessAt: state.recipeSnapshot?.savedAt,
      runs: state.runs,
    })
    if (text !== undefined) output.out(text.replace(/\n$/, ''))
  }
  if (options.json) {
    output.out(JSON.stringify({ event: 'summary', status: result.failed ? 'unmet' : 'ok', ...summary }))
  } else if (!quiet) {
    const verdict = result.failed ? chalk.red(' — not ready: run `devsetup` to fix') : chalk.green(' — ready')
    output.out(`\n${summaryLine(summary)}${verdict}`)
    for (const t of targets) output.out(chalk.dim(`${describeFormat[t.format]} report: ${t.given}`))
  }
  return result.failed ? Exit.failed : Exit.ok
}
