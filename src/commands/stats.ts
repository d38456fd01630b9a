// `devsetup stats`: how long each step took in the recent `devsetup up` runs (from state), and
// the median, so "it is not done until it is fast" has numbers. Reads only; nothing is sent.
import chalk from 'chalk'
import { StateStore } from '../engine/state.js'
import { repoStateDir } from '../engine/state-dir.js'
import { cloneIdentity } from '../engine/workdir.js'
import { ExitCode as Exit, type ExitCode, UserError } from '../errors.js'
import { formatDuration } from '../recipe/duration.js'
import { findRecipe, loadRecipe } from '../recipe/load.js'
import { allSteps } from '../recipe/types.js'
import { median, stepTimings } from '../report/history.js'
import { type CommonOptions, type Output, processOutput } from './options.js'

export interface StatsOptions extends CommonOptions {
  /** How many recent durations per step (at most what state keeps). */
  last?: string | number | undefined
}

export async function stats(options: StatsOptions): Promise<ExitCode> {
  const output: Output = options.output ?? processOutput
  const last = Number(options.last ?? 10)
  if (!Number.isInteger(last) || last < 1) {
    throw new UserError(`--last ${options.last}: not a whole number of runs`, 'e.g. --last 5')
  }
  const recipe = await loadRecipe(findRecipe(options.cwd, options.recipe), options.env ?? process.env)
  const state = StateStore.load(repoStateDir(recipe.root, options.env ?? process.env), {
    readOnly: true,
    clone: cloneIdentity(recipe.root),
    warn: (m) => output.err(chalk.yellow(`warning: ${m}`)),
  })
  const runs = state.runs.slice(-last)
  const steps = allSteps(recipe)
  const titles = new Map(steps.map((s) => [s.id, s.title]))
  const timings = stepTimings(
    runs,
    steps.map((s) => s.id),
  )
  const total = runs.map((run) => run.durationMs)
  if (options.json) {
    output.out(
      JSON.stringify({
        runs: runs.map((r) => ({ startedAt: r.startedAt, status: r.status, durationMs: r.durationMs })),
        medianMs: median(total) ?? null,
        steps: timings.map((t) => ({
          step: t.step,
          title: titles.get(t.step) ?? null,
          inRecipe: titles.has(t.step),
          durations: t.durations,
          medianMs: t.medianMs ?? null,
        })),
      }),
    )
    return Exit.ok
  }
  if (runs.length === 0) {
    output.out('No `devsetup up` run is recorded here yet: run `devsetup` first.')
    return Exit.ok
  }
  const rows = timings.map((t) => ({
    id: titles.has(t.step) ? t.step : `${t.step} (no longer in the recipe)`,
    median: t.medianMs === undefined ? '—' : formatDuration(t.medianMs),
    durations: t.durations.length === 0 ? chalk.dim('not run') : t.durations.map(formatDuration).join('  '),
  }))
  rows.push({
    id: 'whole run',
    median: formatDuration(median(total)!),
    durations: total.map(formatDuration).join('  '),
  })
  const idWidth = Math.max(4, ...rows.map((r) => r.id.length))
  const medianWidth = Math.max(6, ...rows.map((r) => r.median.length))
  output.out(
    chalk.dim(
      `${'STEP'.padEnd(idWidth)}  ${'MEDIAN'.padStart(medianWidth)}  LAST ${runs.length} RUNS (oldest first)`,
    ),
  )
  rows.forEach((r, i) => {
    const line = `${r.id.padEnd(idWidth)}  ${r.median.padStart(medianWidth)}  ${r.durations}`
    output.out(i === rows.length - 1 ? chalk.bold(line) : line)
  })
  return Exit.ok
}
