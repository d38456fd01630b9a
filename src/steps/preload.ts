// Before a command runs (src/cli.ts), the step types it will need: for the commands that read
// a recipe, the behaviours of those the recipe names; for every other command, all of them (a command added
// later is safe by default).
import { readFile } from 'node:fs/promises'
import { findRecipe } from '../recipe/find.js'
import { loadStepBehaviors, loadStepTypes, typesNamedIn } from './index.js'

const recipeReaders = new Set(['up', 'doctor', 'validate', 'list'])

export async function loadStepTypesForCommand(
  command: string,
  options: { cwd?: string; recipe?: string },
): Promise<void> {
  if (!recipeReaders.has(command)) return loadStepTypes()
  let text: string
  try {
    text = await readFile(findRecipe(options.cwd ?? process.cwd(), options.recipe), 'utf8')
  } catch {
    return // no recipe to read: the command says so itself
  }
  // Their schemas only if the recipe has to be parsed (src/recipe/load.ts decides).
  await loadStepBehaviors(typesNamedIn(text))
}
