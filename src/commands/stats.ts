// `devsetup stats`: how long each step took in the recent `devsetup up` runs (from state), and
// the median, so "it is not done until it is fast" has numbers. Reads only; nothing is sent.
import chalk from 'chalk'
import { type RunRecord, StateStore } from '../engine/state.js'
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
  // The whole run's median only over runs that went to their end: a failed or interrupted run's
  // length says when it stopped, not how long setting up takes.
  const finished = runs.filter((r) => r.status === 'ok' || r.status === 'changed').map((r) => r.durationMs)
  if (options.json) {
    output.out(
      JSON.stringify({
        runs: runs.map((r) => ({
          startedAt: r.startedAt,
          status: r.status,
          durationMs: r.durationMs,
          steps: r.steps,
        })),
        medianMs: median(finished) ?? null,
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
  printTable(output, runs, [
    ...timings.map((t) => ({
      label: titles.has(t.step) ? t.step : `${t.step} (no longer in the recipe)`,
      medianMs: t.medianMs,
      cells: runs.map((run) => run.steps[t.step]),
    })),
    { label: 'whole run', medianMs: median(finished), cells: runs.map((run) => run.durationMs) },
  ])
  return Exit.ok
}

interface Row {
  label: string
  medianMs: number | undefined
  /** One per run, in the runs' order: undefined where the step was not checked or run to its end. */
  cells: (number | undefined)[]
}

const statusColor: Record<RunRecord['status'], (text: string) => string> = {
  ok: chalk.green,
  changed: chalk.green,
  failed: chalk.red,
  interrupted: chalk.yellow,
}

/**
 * One column per run, headed by when it started and how it ended; each duration under its run.
 * The table fits the terminal (80 columns when stdout is not one): a wrapped line would put
 * each duration under another run's column, so the oldest runs' columns are left out, and
 * the first line says how many. The medians stay over all the runs asked for.
 */
function printTable(output: Output, allRuns: readonly RunRecord[], allRows: Row[]): void {
  const allCells = allRows.map((row) => row.cells.map((ms) => (ms === undefined ? '—' : formatDuration(ms))))
  const allWidths = allRuns.map((run, i) =>
    Math.max(startLabel(run.startedAt).length, run.status.length, ...allCells.map((c) => c[i]!.length)),
  )
  const labelWidth = Math.max(4, ...allRows.map((r) => r.label.length))
  const medians = allRows.map((r) => (r.medianMs === undefined ? '—' : formatDuration(r.medianMs)))
  const medianWidth = Math.max(6, ...medians.map((m) => m.length))
  const width = terminalWidth(output)
  const shown = fittingColumns(allWidths, width - labelWidth - 2 - medianWidth)
  const left = allRuns.length - shown
  const runs = allRuns.slice(left)
  const rows = allRows.map((row) => ({ ...row, cells: row.cells.slice(left) }))
  const cells = allCells.map((c) => c.slice(left))
  const widths = allWidths.slice(left)
  const started = runs.map((r) => startLabel(r.startedAt))
  // Padded before coloring: escape codes have no width on screen.
  const columns = (texts: string[], color: (text: string, i: number) => string = (t) => t) =>
    texts.map((text, i) => color(text.padEnd(widths[i]!), i)).join('  ')
  output.out(
    chalk.dim(
      allRuns.length === 1
        ? 'The last `devsetup up` run:'
        : `The last ${runs.length}${left === 0 ? '' : ` of ${allRuns.length}`} \`devsetup up\` runs, oldest first:`,
    ),
  )
  output.out(chalk.dim(`${''.padEnd(labelWidth)}  ${''.padStart(medianWidth)}  ${columns(started)}`))
  output.out(
    `${chalk.dim(`${'STEP'.padEnd(labelWidth)}  ${'MEDIAN'.padStart(medianWidth)}`)}  ${columns(
      runs.map((r) => r.status),
      (text, i) => statusColor[runs[i]!.status](text),
    )}`,
  )
  rows.forEach((row, r) => {
    const line = `${row.label.padEnd(labelWidth)}  ${medians[r]!.padStart(medianWidth)}  ${columns(
      cells[r]!,
      (text, i) => (row.cells[i] === undefined ? chalk.dim(text) : text),
    )}`.trimEnd()
    output.out(r === rows.length - 1 ? chalk.bold(line) : line)
  })
  if (left > 0)
    output.out(
      chalk.dim(
        `${left} older ${left === 1 ? 'run' : 'runs'} left out to fit ${width} columns; the medians are over all ${allRuns.length}.`,
      ),
    )
}

/** How many of the last columns (each 2 spaces plus its width) fit in `room`: at least one. */
function fittingColumns(widths: readonly number[], room: number): number {
  let used = 0
  let count = 0
  for (let i = widths.length - 1; i >= 0; i--) {
    used += 2 + widths[i]!
    if (used > room && count > 0) break
    count++
  }
  return count
}

/** The terminal's width; 80 when stdout is not a terminal (a pipe, a file, a CI log). */
function terminalWidth(output: Output): number {
  return output.isTTY && process.stdout.columns ? process.stdout.columns : 80
}

/** "12-07 00:48", in local time: enough to tell a run from the one before it. */
function startLabel(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return '?'
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`
}
