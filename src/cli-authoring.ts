// The commands that write the recipe (init, add, schema), kept apart from src/cli.ts's wiring of
// the commands that run it. Each action hands its exit code to `finish`; cli.ts alone prints and exits.
import { Command } from 'commander'
import { runningAs } from './cli-options.js'
// Commands are imported when they run, so each run loads only its own command's code.
import type { AddOptions } from './commands/add.js'
import type { InitOptions } from './commands/init.js'

export function authoringCommands(finish: (code: number) => void): Command[] {
  return [
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
      .action(async (options: InitOptions) =>
        finish(await (await import('./commands/init.js')).init(options)),
      ),
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
  ]
}
