// No TTY or CI: one line per event, no spinners, no cursor movement.
import chalk from 'chalk'
import type { EngineEvents } from '../events.js'
import { durationLabel, statusLabel, symbol } from './format.js'

export function attachPlainRenderer(
  events: EngineEvents,
  write: (line: string) => void,
  verbose: boolean,
): void {
  events.on('step:run', (step, reason) =>
    write(`${chalk.cyan('→')} ${step.title} ${chalk.dim(`— running: ${reason}`)}`),
  )
  events.on('step:retry', (step, attempt, reason) =>
    write(`${chalk.yellow('↻')} ${step.title} ${chalk.dim(`— attempt ${attempt}, after: ${reason}`)}`),
  )
  events.on('step:subtask', (step, sub) => {
    if (sub.status === 'running') return
    const mark = sub.status === 'done' ? chalk.green('✔') : chalk.red('✖')
    write(`  ${mark} ${step.title} › ${sub.title}${sub.reason ? chalk.dim(` — ${sub.reason}`) : ''}`)
  })
  if (verbose) events.on('step:output', (_step, line) => write(chalk.dim(`  │ ${line}`)))
  events.on('step:end', (step, outcome) =>
    write(
      `${symbol(outcome.status)} ${step.title} — ${statusLabel(outcome)}${durationLabel(outcome.durationMs)}`,
    ),
  )
}
