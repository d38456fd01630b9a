// `devsetup init`: look at the repository, pick the closest template, and write a
// commented devsetup.yml that validates, plus the schema file its first line points at.
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import chalk from 'chalk'
import { writeFileAtomic } from '../engine/write-atomic.js'
import { ExitCode as Exit, type ExitCode, UserError } from '../errors.js'
import { binSetupScript } from '../init/bin-setup.js'
import { planInit } from '../init/plan.js'
import { listTemplates } from '../init/templates.js'
import { runningCommand } from '../package-name.js'
import { recipeNames } from '../recipe/find.js'
import { parseRecipe } from '../recipe/parse.js'
import { allSteps } from '../recipe/types.js'
import { type Output, processOutput } from './options.js'
import { schemaComment, schemaFileName, writeSchemaFile } from './schema.js'

export interface InitOptions {
  cwd: string
  template?: string | undefined
  listTemplates?: boolean | undefined
  force?: boolean | undefined
  binSetup?: boolean | undefined
  json?: boolean | undefined
  env?: NodeJS.ProcessEnv
  output?: Output
}

export async function init(options: InitOptions): Promise<ExitCode> {
  const output = options.output ?? processOutput
  if (options.listTemplates) {
    const templates = listTemplates()
    if (options.json)
      output.out(JSON.stringify(templates.map(({ name, description }) => ({ name, description }))))
    else for (const t of templates) output.out(`${t.name.padEnd(20)} ${t.description}`)
    return Exit.ok
  }
  const root = path.resolve(options.cwd)
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UserError(`--cwd ${options.cwd} is not a folder`)
  const existing = recipeNames.find((name) => existsSync(path.join(root, name)))
  const file = path.join(root, existing ?? 'devsetup.yml')
  const setupFile = path.join(root, 'bin', 'setup')
  if (options.binSetup && existsSync(setupFile) && !options.force)
    throw new UserError('bin/setup already exists', 'pass --force to replace it, or leave out --bin-setup')
  // `init --bin-setup` in a repository that already has its recipe: only the script is missing.
  if (existing && options.binSetup && !options.force) {
    writeBinSetup(setupFile)
    const shown = path.relative(options.cwd, setupFile) || setupFile
    if (options.json) output.out(JSON.stringify({ file, written: [shown], kept: existing }))
    else
      output.out(
        `${chalk.green('✔')} wrote ${shown}; ${existing} already exists and is kept (--force would replace it)`,
      )
    return Exit.ok
  }
  if (existing && !options.force)
    throw new UserError(
      `${existing} already exists`,
      'pass --force to replace it, or grow it with `devsetup add <type> key=value ...`',
    )

  // The command the recipe's header and the hints below name: the one running now.
  const command = runningCommand()
  const { detection, template, closest, rendered } = await planInit(root, {
    template: options.template,
    schemaLine: schemaComment,
    command,
  })
  // The written recipe must pass the same loader as `validate`; a failure here is a bug in a template.
  const recipe = parseRecipe(file, rendered.text, { ...process.env, ...options.env })

  writeFileAtomic(file, rendered.text)
  // The schema file may be the user's (or pinned to another version): replaced only with --force.
  const schemaFile = path.join(root, schemaFileName)
  const keptSchema = existsSync(schemaFile) && !options.force
  if (!keptSchema) writeSchemaFile(root)
  if (options.binSetup) writeBinSetup(setupFile)

  const shown = (f: string) => path.relative(options.cwd, f) || f
  const written = [
    shown(file),
    ...(keptSchema ? [] : [shown(schemaFile)]),
    ...(options.binSetup ? [shown(setupFile)] : []),
  ]
  if (options.json) {
    output.out(
      JSON.stringify({
        file,
        template: template?.name ?? null,
        steps: rendered.steps,
        dropped: rendered.dropped,
        notes: detection.notes,
        written,
        ...(keptSchema ? { keptSchema: shown(schemaFile) } : {}),
      }),
    )
    return Exit.ok
  }
  const why = options.template
    ? 'as asked'
    : closest
      ? 'closest match for this repository'
      : 'no template fits: generic recipe'
  output.out(`Template: ${template ? chalk.bold(template.name) : '(none)'} (${why})`)
  output.out('Detected:')
  if (rendered.steps.length === 0) output.out('  nothing recognisable: the recipe has no steps yet')
  for (const step of rendered.steps) {
    const origin = step.origin === 'template' ? chalk.dim(' (kept from the template)') : ''
    output.out(
      `  ${chalk.green('+')} ${step.slot.padEnd(16)} ${step.origin === 'template' ? '' : step.why}${origin}`,
    )
  }
  for (const dropped of rendered.dropped) output.out(`  ${chalk.dim(`- ${dropped}`)}`)
  for (const note of detection.notes) output.out(`  ${chalk.yellow('!')} ${note}`)
  if (keptSchema)
    output.out(
      `  ${chalk.yellow('!')} ${schemaFileName} already exists: left as it is (--force replaces it, or \`devsetup schema --write\`)`,
    )
  const count = allSteps(recipe).length
  output.out(`${chalk.green('✔')} wrote ${written.join(', ')} (${count} step${count === 1 ? '' : 's'})`)
  // bin/setup when it was just written, else the way this devsetup was started (never npx of the
  // bare name: that is somebody else's package).
  const runIt = options.binSetup ? shown(setupFile) : command
  output.out(
    `Next: review ${shown(file)}, then run \`${runIt} doctor\` (checks only) or \`${runIt}\`; ` +
      `${schemaFileName} gives editors completion (refresh it with \`${command} schema --write\`).`,
  )
  return Exit.ok
}

function writeBinSetup(setupFile: string): void {
  mkdirSync(path.dirname(setupFile), { recursive: true })
  writeFileAtomic(setupFile, binSetupScript)
  chmodSync(setupFile, 0o755)
}
