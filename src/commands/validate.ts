// `devsetup validate`: check the recipe against the schema; nothing runs.
import chalk from 'chalk'
import { ExitCode as Exit, type ExitCode } from '../errors.js'
import { findRecipe, loadRecipe } from '../recipe/load.js'
import { allSteps } from '../recipe/types.js'
import { type CommonOptions, type Output, processOutput } from './options.js'

export async function validate(options: CommonOptions & { signal?: AbortSignal }): Promise<ExitCode> {
  const output: Output = options.output ?? processOutput
  const file = findRecipe(options.cwd, options.recipe)
  const recipe = await loadRecipe(file, options.env ?? process.env, options.signal)
  const count = allSteps(recipe).length
  if (options.json) {
    output.out(JSON.stringify({ valid: true, file, steps: count, warnings: recipe.warnings }))
    return Exit.ok
  }
  output.out(`${chalk.green('✔')} ${file} is valid: ${count} step${count === 1 ? '' : 's'}`)
  // Warnings are not the result: stderr, so `devsetup validate > out` keeps only the verdict.
  for (const warning of recipe.warnings) output.err(`${chalk.yellow('⚠')} ${warning}`)
  return Exit.ok
}
