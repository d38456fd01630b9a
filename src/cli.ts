// Commander wiring only. This is the one place that prints a fatal error and exits.
import chalk from 'chalk'
import { Command, CommanderError } from 'commander'
// Commands are imported when they run, so each run loads only its own command's code.
import type { AddOptions } from './commands/add.js'
import type { DoctorOptions } from './commands/doctor.js'
import type { InitOptions } from './commands/init.js'
import type { RunOptions } from './commands/options.js'
import type { StatsOptions } from './commands/stats.js'
import { fsFault } from './engine/fs-fault.js'
import { killAllGroups } from './engine/groups.js'
import { DevsetupError, ExitCode, RecipeError, UserError } from './errors.js'
import { runningCommand } from './package-name.js'
import { didYouMean } from './recipe/suggest.js'

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

const list_ = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)]

/** Where the recipe is, and how plain the output is: what every recipe-reading command takes. */
function withRecipe(command: Command, json: string): Command {
  return command
    .option('--cwd <dir>', 'run as if started in <dir>', process.cwd())
    .option('--recipe <file>', 'use this recipe instead of finding devsetup.yml')
    .option('--json', json)
    .option('--no-color', 'no colors (NO_COLOR is respected too)')
}

// Only the commands that run steps have events to stream and command output to show.
function withRun(command: Command): Command {
  return withRecipe(command, 'print one JSON event per line on stdout (NDJSON), nothing else')
    .option('--verbose', 'show every command output line')
    .option('--only <ids>', 'only these steps (comma-separated ids, repeatable)', list_)
    .option('--skip <ids>', 'skip these steps (comma-separated ids, repeatable)', list_)
}

// A lock conflict is exit 1 like a failed step: either way the repository is not known to be ready,
// and a second run at the same time is a mistake to fix, not a state to branch on.
const exitCodesHelp =
  '\nExit codes: 0 every step met · 1 a step failed (doctor: is unmet), or another devsetup run\n' +
  "holds this repository's lock (up waits 3 s for it first) · 2 a bad recipe or usage · 130 interrupted."

// The examples say `devsetup`; run any other way (npx, a clone by its path), help says what to type
// instead, so a hint is never a command that does not run this devsetup.
const runningAs = () => {
  const command = runningCommand()
  return command === 'devsetup'
    ? ''
    : `\n\nThis devsetup runs as \`${command}\`: type that where the examples say \`devsetup\`.`
}

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
program.addCommand(
  new Command('schema')
    .description("print the recipe's JSON Schema (for editors)")
    .option(
      '--write',
      "write devsetup.schema.json next to the recipe, and make the recipe's first line point to it",
    )
    .option('--cwd <dir>', 'run as if started in <dir>', process.cwd())
    .option('--recipe <file>', 'use this recipe instead of finding devsetup.yml')
    .addHelpText(
      'after',
      '\nExamples:\n  $ devsetup schema > devsetup.schema.json\n  $ devsetup schema --write',
    )
    .action(async (options: { write?: boolean; cwd: string; recipe?: string }) =>
      finish(await (await import('./commands/schema.js')).schema(options)),
    ),
)
program.addCommand(
  new Command('init')
    .description('detect what this repository needs and write a commented devsetup.yml')
    .option('--cwd <dir>', 'run as if started in <dir>', process.cwd())
    .option('--template <name>', 'start from this template instead of the closest one')
    .option('--list-templates', 'list the templates and exit')
    .option('--force', 'replace an existing devsetup.yml (and bin/setup)')
    .option('--bin-setup', 'also write an executable bin/setup that runs devsetup')
    .option('--json', 'print the result as one JSON object')
    .option('--no-color', 'no colors (NO_COLOR is respected too)')
    .addHelpText(
      'after',
      () =>
        `\nExamples:\n  $ devsetup init\n  $ devsetup init --list-templates\n  $ devsetup init --template rails --bin-setup${runningAs()}`,
    )
    .action(async (options: InitOptions) => finish(await (await import('./commands/init.js')).init(options))),
)
program.addCommand(
  new Command('add')
    .description("add a step to the recipe, keeping the file's comments and layout")
    .argument('<type>', 'the step type (run, dependencies, database, ...)')
    .argument(
      '[settings...]',
      'key=value settings (key=a,b for a list; key=[a, b] YAML flow), or a shorthand value',
    )
    .option('--name <name>', 'the step name shown in the task tree')
    .option('--id <id>', 'the step id for --only / --skip')
    .option('--before <id>', 'insert before this step')
    .option('--after <id>', 'insert after this step')
    .option('--cwd <dir>', 'run as if started in <dir>', process.cwd())
    .option('--recipe <file>', 'use this recipe instead of finding devsetup.yml')
    .option('--json', 'print the added step as one JSON object')
    .option('--no-color', 'no colors (NO_COLOR is respected too)')
    .addHelpText(
      'after',
      [
        "\nWithout settings in a terminal, it asks for the type's keys.",
        '\nExamples:',
        '  $ devsetup add run --name "Git hooks" run="npx husky" creates=.husky/_',
        '  $ devsetup add runtime node --before dependencies',
        '  $ devsetup add cleanup paths=log/*.log,tmp/cache --after database',
      ].join('\n'),
    )
    .action(async (type: string, settings: string[], options: Omit<AddOptions, 'type' | 'settings'>) => {
      const tty = process.stdin.isTTY && process.stdout.isTTY
      const interactive = tty ? { input: process.stdin, output: process.stdout } : undefined
      finish(await (await import('./commands/add.js')).add({ ...options, type, settings, interactive }))
    }),
)

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

/** Commander's own errors (an unknown option, a missing value) in devsetup's one error style. */
function commanderError(text: string): string {
  const message = text.replace(/^error: /, '').trimEnd()
  return `${chalk.red(`devsetup: ${message}`)}\n  hint: \`devsetup --help\` (or \`devsetup <command> --help\`) lists what each command accepts\n`
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

/**
 * `up` is the default command, so a misspelled command (`devsetup doctr`) would reach it as an
 * argument ("too many arguments for 'up'"), and so would a command after common options
 * (`devsetup --cwd api doctor`). Name the unknown command; move a known one to the front.
 */
function normaliseCommand(argv: string[]): string[] {
  // Options that take a value (`--cwd <dir>`), as the commands declare them: skip their values.
  const optionsWithValue = new Set(
    program.commands
      .flatMap((command) => command.options)
      .filter((option) => option.required || option.optional)
      .flatMap((option) => [option.long, option.short].filter((flag): flag is string => flag !== undefined)),
  )
  const args = argv.slice(2).map((arg) => (arg === '-V' ? '-v' : arg))
  let index = 0
  while (index < args.length && args[index]!.startsWith('-')) {
    index += optionsWithValue.has(args[index]!) && !args[index]!.includes('=') ? 2 : 1
  }
  const first = args[index]
  if (first === undefined) return argv
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()])
  // `devsetup help doctr` gets the suggestion `devsetup doctr` gets, not the whole help.
  const asked = first === 'help' ? args[index + 1] : undefined
  if (asked !== undefined && !asked.startsWith('-') && !names.includes(asked)) {
    throw new UserError(
      `unknown command \`${asked}\``,
      `${didYouMean(asked, names)} (devsetup --help lists them)`,
    )
  }
  if (!names.includes(first) && first !== 'help') {
    throw new UserError(
      `unknown command \`${first}\``,
      `${didYouMean(first, names)} (devsetup --help lists them)`,
    )
  }
  return [...argv.slice(0, 2), first, ...args.slice(0, index), ...args.slice(index + 1)]
}

try {
  await program.parseAsync(normaliseCommand(process.argv))
} catch (error) {
  process.exitCode = printFatal(error)
}
