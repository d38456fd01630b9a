// Commander wiring only. This is the one place that prints a fatal error and exits.
import chalk from 'chalk'
import { Command, CommanderError } from 'commander'
import { commanderError, normaliseCommand } from './cli-argv.js'
import { authoringCommands } from './cli-authoring.js'
import { exitCodesHelp, runningAs, withRecipe, withRun } from './cli-options.js'
// Commands are imported when they run, so each run loads only its own command's code.
import type { DoctorOptions } from './commands/doctor.js'
import type { RunOptions } from './commands/options.js'
import type { StatsOptions } from './commands/stats.js'
import { fsFault } from './engine/fs-fault.js'
import { killAllGroups } from './engine/groups.js'
import { DevsetupError, ExitCode, RecipeError } from './errors.js'

declare const DEVSETUP_VERSION: string
const version = typeof DEVSETUP_VERSION === 'string' ? DEVSETUP_VERSION : '0.0.0-dev'

if (process.argv.includes('--no-color') || process.env.NO_COLOR) chalk.level = 0

const interrupt = new AbortController()
let interrupts = 0
// SIGHUP: the terminal closed. Commands run in their own process groups, so no hangup reaches
// them: devsetup must stop them itself.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) {
  process.on(signal, () => {
    interrupts++
    if (interrupts === 1) {
      interrupt.abort(new Error(`interrupted (${signal})`))
      return
    }
    // A second Ctrl-C: stop waiting for a graceful end.
    killAllGroups('SIGKILL')
    process.exit(ExitCode.interrupted)
  })
}
// `devsetup doctor --json | head -1`: a reader that stops early is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}
// Whatever happens, no command devsetup started outlives it.
process.on('exit', () => killAllGroups('SIGKILL'))

const program = new Command('devsetup')
  .description('From a fresh clone to a working development environment, and back from a broken one.')
  .addHelpText('after', () => `${runningAs()}\n${exitCodesHelp}`)
  .version(version, '-v, --version')
  .showSuggestionAfterError(true)
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(commanderError(text)) })

const upCommand = (name: string) =>
  withRun(new Command(name))
    .description('check every step, run the unmet ones in order, check them again')
    .option('--force', 'run steps even when their check says they are met')
    .option('--dry-run', 'show what would run, change nothing')
    .addHelpText(
      'after',
      '\nExamples:\n  $ devsetup\n  $ devsetup up --only dependencies,database --verbose\n  $ devsetup up --dry-run\n' +
        exitCodesHelp,
    )
    .action(async (options: RunOptions) =>
      finish(await (await import('./commands/up.js')).up({ ...options, signal: interrupt.signal })),
    )

program.addCommand(upCommand('up'), { isDefault: true })
program.addCommand(
  withRun(new Command('doctor'))
    .description(
      'check every step and print a readiness checklist; changes nothing, exits 1 if anything is unmet',
    )
    .option(
      '--report <format|file>',
      'also as a report: junit, markdown or html on stdout (instead of the checklist), or written to FILE.xml, .md or .html (repeatable); never changes the checks or the exit code',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addHelpText(
      'after',
      [
        '\nExamples:',
        '  $ devsetup doctor --only database',
        '  $ devsetup doctor --report doctor.xml --report doctor.html',
        '  $ devsetup doctor --report markdown    # e.g. >> "$GITHUB_STEP_SUMMARY"',
      ].join('\n'),
    )
    .action(async (options: DoctorOptions) =>
      finish(await (await import('./commands/doctor.js')).doctor({ ...options, signal: interrupt.signal })),
    ),
)
program.addCommand(
  new Command('stats')
    .description(
      'how long each step took in the recent `devsetup up` runs: one column per run (failed and interrupted ones too), and the median (from local state)',
    )
    .option('--last <n>', 'only the last <n> runs', '10')
    .option('--cwd <dir>', 'run as if started in <dir>', process.cwd())
    .option('--recipe <file>', 'use this recipe instead of finding devsetup.yml')
    .option('--json', 'print the numbers as one JSON object')
    .option('--no-color', 'no colors (NO_COLOR is respected too)')
    .addHelpText('after', '\nExamples:\n  $ devsetup stats\n  $ devsetup stats --last 5 --json')
    .action(async (options: StatsOptions) =>
      finish(await (await import('./commands/stats.js')).stats(options)),
    ),
)
program.addCommand(
  withRecipe(
    new Command('validate'),
    'print the verdict as one JSON object: {"valid":true,"file":…,"steps":N,"warnings":[…]} (an invalid recipe: exit 2, its errors on stderr)',
  )
    .description('check the recipe against the schema; nothing runs')
    .addHelpText('after', '\nExamples:\n  $ devsetup validate\n  $ devsetup validate --json')
    .action(async (options) =>
      finish(
        await (await import('./commands/validate.js')).validate({ ...options, signal: interrupt.signal }),
      ),
    ),
)
program.addCommand(
  withRecipe(
    new Command('list'),
    'print one JSON object per step, one a line: {"id","type","title","when"} and "group" for a step of a parallel group',
  )
    .description('the steps, in order, with their ids, types and conditions')
    .addHelpText('after', '\nExample:\n  $ devsetup list --json')
    .action(async (options) => finish(await (await import('./commands/list.js')).list(options))),
)
for (const command of authoringCommands(finish)) program.addCommand(command)

program.addCommand(
  withRecipe(new Command('ps'), 'print them as one JSON object')
    .description(
      'what devsetup runs for this repository (services, the dev server): pid, port, since, log, healthy',
    )
    .addHelpText('after', '\nExamples:\n  $ devsetup ps\n  $ devsetup ps --json')
    .action(async (options) =>
      finish(await (await import('./commands/ps.js')).ps({ ...options, signal: interrupt.signal })),
    ),
)
program.addCommand(
  withRecipe(new Command('stop'), 'print what was stopped as one JSON object')
    .description(
      'stop what devsetup runs for this repository (`devsetup ps` lists it), or the ones named; data is kept',
    )
    .argument('[names...]', 'postgres, redis, mysql or server (the dev server); all when none')
    .addHelpText('after', '\nExamples:\n  $ devsetup stop\n  $ devsetup stop server')
    .action(async (names: string[], options) =>
      finish(
        await (await import('./commands/stop.js')).stop({ ...options, names, signal: interrupt.signal }),
      ),
    ),
)

// Step types load on demand (src/steps/registry.ts): before a command runs, the ones it needs.
program.hook('preAction', async (_program, command) => {
  await (await import('./steps/preload.js')).loadStepTypesForCommand(command.name())
})

// Settings of the root command are not inherited by commands added with addCommand().
for (const command of program.commands) {
  command.exitOverride().configureOutput({ outputError: (text, write) => write(commanderError(text)) })
}

function finish(code: number): void {
  process.exitCode = code
}

function printFatal(error: unknown): number {
  const err = (text: string) => process.stderr.write(`${text}\n`)
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version exit 0.
    return error.exitCode === 0 ? 0 : ExitCode.usage
  }
  if (error instanceof RecipeError) {
    err(chalk.red(error.format()))
    return error.exitCode
  }
  if (error instanceof DevsetupError) {
    if (error.exitCode !== ExitCode.interrupted) err(chalk.red(`devsetup: ${error.message}`))
    else err(chalk.yellow('devsetup: interrupted; state saved, commands stopped'))
    if (error.hint) err(`  hint: ${error.hint}`)
    return error.exitCode
  }
  // A full disk or a folder someone else owns, met where no step expected it: the user's to fix.
  const fault = fsFault(error, (error as NodeJS.ErrnoException | undefined)?.path ?? '')
  if (fault && (error as NodeJS.ErrnoException).path) return printFatal(fault)
  err(
    chalk.red(
      `devsetup: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    ),
  )
  err('  This is a bug in devsetup. Please report it with the command you ran and the output above.')
  return ExitCode.failed
}

// A command whose work never settles (a promise nothing resolves) lets the event loop drain, and
// Node would exit 0 with nothing said: a silent green. Say so and fail instead.
let settled = false
process.on('beforeExit', () => {
  if (settled) return
  settled = true
  process.exitCode = printFatal(
    new DevsetupError(
      'the command ended before it finished: nothing was left to wait for, so its result is unknown',
      {
        hint: 'this is a bug in devsetup: please report it with the command you ran and the output above',
      },
    ),
  )
})

try {
  await program.parseAsync(normaliseCommand(program, process.argv))
} catch (error) {
  process.exitCode = printFatal(error)
}
settled = true
