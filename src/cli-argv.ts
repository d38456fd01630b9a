// The command line before and around commander: a misspelled or misplaced command, `-V`, and
// commander's own errors in devsetup's one error style. Kept apart from src/cli.ts (the wiring).
import chalk from 'chalk'
import type { Command } from 'commander'
import { UserError } from './errors.js'
import { didYouMean } from './recipe/suggest.js'

/** Commander's own errors (an unknown option, a missing value) in devsetup's one error style. */
export function commanderError(text: string): string {
  const message = text.replace(/^error: /, '').trimEnd()
  return `${chalk.red(`devsetup: ${message}`)}\n  hint: \`devsetup --help\` (or \`devsetup <command> --help\`) lists what each command accepts\n`
}

/**
 * `up` is the default command, so a misspelled command (`devsetup doctr`) would reach it as an
 * argument ("too many arguments for 'up'"), and so would a command after common options
 * (`devsetup --cwd api doctor`). Name the unknown command; move a known one to the front.
 */
export function normaliseCommand(program: Command, argv: string[]): string[] {
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
