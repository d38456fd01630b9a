// Words and symbols shared by every human renderer.
import chalk from 'chalk'
import { formatDuration } from '../../recipe/duration.js'
import type { StepOutcome, StepStatus } from '../events.js'

// Rendered on use, not at load: --no-color / NO_COLOR are applied after this module loads.
const symbolMarks: Record<StepStatus, [string, (text: string) => string]> = {
  ok: ['✔', chalk.green],
  changed: ['✔', chalk.green],
  failed: ['✖', chalk.red],
  warned: ['⚠', chalk.yellow],
  skipped: ['↓', chalk.dim],
  interrupted: ['■', chalk.yellow],
  'not-run': ['○', chalk.dim],
  'would-run': ['→', chalk.cyan],
  unmet: ['✗', chalk.red],
}

export function symbol(status: StepStatus): string {
  const [mark, color] = symbolMarks[status]
  return color(mark)
}

const colors: Record<StepStatus, (text: string) => string> = {
  ok: chalk.dim,
  changed: chalk.green,
  failed: chalk.red,
  warned: chalk.yellow,
  skipped: chalk.dim,
  interrupted: chalk.yellow,
  'not-run': chalk.dim,
  'would-run': chalk.cyan,
  unmet: chalk.red,
}

const words: Record<StepStatus, string> = {
  ok: 'ok',
  changed: 'changed',
  failed: 'failed',
  warned: 'warned',
  skipped: 'skipped',
  interrupted: '',
  'not-run': '',
  'would-run': 'would run',
  unmet: 'unmet',
}

/** "ok: node_modules present", "failed: `npm ci` exited with code 1", ... */
export function statusLabel(outcome: Pick<StepOutcome, 'status' | 'reason'>): string {
  const word = words[outcome.status]
  return colors[outcome.status](word ? `${word}: ${outcome.reason}` : outcome.reason)
}

export function durationLabel(ms: number): string {
  return ms >= 50 ? chalk.dim(` (${formatDuration(ms)})`) : ''
}

/** Under a failed step in the tree or the plain lines: the first known cause, in short. */
export function diagnosisLine(outcome: StepOutcome): string[] {
  const first = outcome.failure?.diagnosis?.[0]
  return first ? [chalk.yellow(`    ↳ likely cause: ${first.cause} (fix below)`)] : []
}

/** A command a step would run (--dry-run), indented under it; a script keeps its lines. */
export function commandLine(command: string): string {
  return `    $ ${command.trim().split('\n').join('\n      ')}`
}

/** A running step's elapsed time in whole seconds: "7s", "2m05s". */
export function elapsedLabel(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < 60) return `${seconds}s`
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
}

export interface Summary {
  counts: Partial<Record<StepStatus, number>>
  durationMs: number
  slowest: { step: string; durationMs: number }[]
}

export function summarize(outcomes: Map<string, StepOutcome>, durationMs: number): Summary {
  const counts: Partial<Record<StepStatus, number>> = {}
  for (const outcome of outcomes.values()) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1
  const slowest = [...outcomes.entries()]
    .filter(([, o]) => o.durationMs >= 100)
    .sort((a, b) => b[1].durationMs - a[1].durationMs)
    .slice(0, 3)
    .map(([step, o]) => ({ step, durationMs: Math.round(o.durationMs) }))
  return { counts, durationMs, slowest }
}

export function summaryLine(summary: Summary): string {
  const order: StepStatus[] = [
    'ok',
    'changed',
    'would-run',
    'unmet',
    'warned',
    'failed',
    'interrupted',
    'skipped',
    'not-run',
  ]
  const counts = order
    .filter((status) => summary.counts[status])
    .map((status) => colors[status](`${summary.counts[status]} ${words[status] || status.replace('-', ' ')}`))
    .join(chalk.dim(' · '))
  const slow = summary.slowest.map((s) => `${s.step} ${formatDuration(s.durationMs)}`).join(', ')
  return `${counts || 'no steps'}${chalk.dim(` — ${formatDuration(summary.durationMs)}${slow ? ` — slowest: ${slow}` : ''}`)}`
}
