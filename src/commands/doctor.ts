// `devsetup doctor`: the same recipe as a readiness checklist. Checks only; changes nothing.
import chalk from 'chalk'
import { runEngine } from '../engine/engine.js'
import { EngineEvents } from '../engine/events.js'
import { durationLabel, statusLabel, summarize, summaryLine, symbol } from '../engine/render/format.js'
import { attachJsonRenderer } from '../engine/render/json.js'
import { selector } from '../engine/select.js'
import { StateStore } from '../engine/state.js'
import { stateDir } from '../engine/workdir.js'
import { ExitCode as Exit, type ExitCode, InterruptedError } from '../errors.js'
import { findRecipe, loadRecipe } from '../recipe/load.js'
import { type Output, processOutput, type RunOptions } from './options.js'

export async function doctor(options: RunOptions): Promise<ExitCode> {
  const output: Output = options.output ?? processOutput
  const env = options.env ?? process.env
  const file = findRecipe(options.cwd, options.recipe)
  const recipe = await loadRecipe(file, env, options.signal)
  selector(recipe, options)
  const state = StateStore.load(stateDir(recipe.root), {
    readOnly: true,
    warn: (m) => output.err(chalk.yellow(`warning: ${m}`)),
  })
  const events = new EngineEvents()
  if (options.json) {
    attachJsonRenderer(events, output.out, false)
  } else {
    output.out(chalk.bold(`devsetup doctor — ${file}`))
    events.on('step:end', (step, outcome) => {
      output.out(
        `${symbol(outcome.status)} ${step.title} — ${statusLabel(outcome)}${durationLabel(outcome.durationMs)}`,
      )
      if (outcome.fix) output.out(`    ${chalk.dim('fix:')} ${outcome.fix}`)
    })
  }
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
  if (options.json) {
    output.out(JSON.stringify({ event: 'summary', status: result.failed ? 'unmet' : 'ok', ...summary }))
  } else {
    const verdict = result.failed ? chalk.red(' — not ready: run `devsetup` to fix') : chalk.green(' — ready')
    output.out(`\n${summaryLine(summary)}${verdict}`)
  }
  return result.failed ? Exit.failed : Exit.ok
}
