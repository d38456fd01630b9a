// The options and help texts the commands share, kept apart from src/cli.ts (the wiring).
import type { Command } from 'commander'
import { runningCommand } from './package-name.js'

const list_ = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)]

/** Where the recipe is, and how plain the output is: what every recipe-reading command takes. */
export function withRecipe(command: Command, json: string): Command {
  return command
    .option('--cwd <dir>', 'run as if started in <dir>', process.cwd())
    .option('--recipe <file>', 'use this recipe instead of finding devsetup.yml')
    .option('--json', json)
    .option('--no-color', 'no colors (NO_COLOR is respected too)')
}

// Only the commands that run steps have events to stream and command output to show.
export function withRun(command: Command): Command {
  return withRecipe(command, 'print one JSON event per line on stdout (NDJSON), nothing else')
    .option('--verbose', 'show every command output line')
    .option('--only <ids>', 'only these steps (comma-separated ids, repeatable)', list_)
    .option('--skip <ids>', 'skip these steps (comma-separated ids, repeatable)', list_)
}

// A lock conflict is exit 1 like a failed step: either way the repository is not known to be ready,
// and a second run at the same time is a mistake to fix, not a state to branch on.
export const exitCodesHelp =
  '\nExit codes: 0 every step met · 1 a step failed (doctor: is unmet), or another devsetup run\n' +
  "holds this repository's lock (up waits 3 s for it first) · 2 a bad recipe or usage · 130 interrupted."

// The examples say `devsetup`; run any other way (npx, a clone by its path), help says what to type
// instead, so a hint is never a command that does not run this devsetup.
export const runningAs = () => {
  const command = runningCommand()
  return command === 'devsetup'
    ? ''
    : `\n\nThis devsetup runs as \`${command}\`: type that where the examples say \`devsetup\`.`
}
