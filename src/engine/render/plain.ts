// No TTY or CI: one line per event, no spinners, no cursor movement.
import chalk from 'chalk'
import type { EngineEvents } from '../events.js'
import { commandLine, diagnosisLine, durationLabel, elapsedLabel, statusLabel, symbol } from './format.js'

/** In CI a long silent step prints a line this often, so the log shows it is still alive. */
export const stillRunningEveryMs = 30_000

export function attachPlainRenderer(
  events: EngineEvents,
  write: (line: string) => void,
  verbose: boolean,
  stillRunningMs = stillRunningEveryMs,
): void {
  const tickers = new Map<string, NodeJS.Timeout>()
  events.on('step:run', (step, reason) => {
    write(`${chalk.cyan('→')} ${step.title} ${chalk.dim(`— running: ${reason}`)}`)
    const started = Date.now()
    const ticker = setInterval(
      () =>
        write(
          `${chalk.dim('…')} ${step.title} ${chalk.dim(`— still running (${elapsedLabel(Date.now() - started)})`)}`,
        ),
      stillRunningMs,
    )
    ticker.unref()
    tickers.set(step.id, ticker)
  })
  events.on('step:retry', (step, attempt, reason) =>
    write(`${chalk.yellow('↻')} ${step.title} ${chalk.dim(`— attempt ${attempt}, after: ${reason}`)}`),
  )
  events.on('step:subtask', (step, sub) => {
    if (sub.status === 'running') return
    const mark = sub.status === 'done' ? chalk.green('✔') : chalk.red('✖')
    write(`  ${mark} ${step.title} › ${sub.title}${sub.reason ? chalk.dim(` — ${sub.reason}`) : ''}`)
  })
  if (verbose) events.on('step:output', (_step, line) => write(chalk.dim(`  │ ${line}`)))
  events.on('step:end', (step, outcome) => {
    clearInterval(tickers.get(step.id))
    tickers.delete(step.id)
    write(
      `${symbol(outcome.status)} ${step.title} — ${statusLabel(outcome)}${durationLabel(outcome.durationMs)}`,
    )
    for (const command of outcome.commands ?? []) write(chalk.dim(commandLine(command)))
    for (const line of diagnosisLine(outcome)) write(line)
  })
  // After the last step: a step that ended well and that its settle failed (settle.ts) gets a
  // line of its own, so the log reads in order: what it did, the restart, what is still wrong.
  events.on('step:late', (step, outcome) =>
    write(`${symbol(outcome.status)} ${step.title} — ${statusLabel(outcome)}`),
  )
}
