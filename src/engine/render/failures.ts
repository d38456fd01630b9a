// After a failed run: for each failed step, the command, its exit code, the last lines of
// its output, the known causes found in it with their fix (diagnose.ts), and where the full log is.
import chalk from 'chalk'
import { runningCommand } from '../../package-name.js'
import { allSteps, type Recipe } from '../../recipe/types.js'
import type { StepOutcome } from '../events.js'

export function reportFailures(
  recipe: Recipe,
  outcomes: Map<string, StepOutcome>,
  logFile: string | undefined,
  write: (line: string) => void,
): void {
  for (const step of allSteps(recipe)) {
    const outcome = outcomes.get(step.id)
    if (outcome?.status !== 'failed' && outcome?.status !== 'warned') continue
    const label = outcome.status === 'failed' ? chalk.red('failed') : chalk.yellow('failed (optional)')
    write('')
    write(`${chalk.bold(step.title)} [${step.id}] ${label}: ${outcome.reason}`)
    const failure = outcome.failure
    if (failure?.command) write(`  command:   ${failure.command.trim().split('\n').join('\n             ')}`)
    if (failure?.exitCode !== undefined) write(`  exit code: ${failure.exitCode}`)
    const tail = (failure?.tail ?? []).filter((line, i, all) => line !== '' || i < all.length - 1)
    if (tail.length > 0) {
      write(`  last ${tail.length === 1 ? 'line' : `${tail.length} lines`} of output:`)
      for (const line of tail) write(chalk.dim(`  │ ${line}`))
    }
    for (const { cause, fix } of failure?.diagnosis ?? []) {
      write(`  ${chalk.yellow('likely cause:')} ${cause}`)
      write(`  ${chalk.yellow('fix:')}          ${fix}`)
    }
    if (logFile) write(`  full log:  ${logFile}`)
    write(`  ${chalk.bold('next:')}      ${nextStep(step.id, (failure?.diagnosis?.length ?? 0) > 0)}`)
  }
}

/** What to do after reading the report, in the command that is running devsetup. */
function nextStep(id: string, diagnosed: boolean): string {
  const command = runningCommand()
  const retry = `\`${command} up --only ${id}\` retries this step alone`
  return diagnosed
    ? `apply the fix above, then run \`${command}\` (${retry})`
    : `fix the cause in the output above, then run \`${command}\` (${retry})`
}
