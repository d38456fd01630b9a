// Before a command runs (src/cli.ts), the step types it will need. A command that reads its
// recipe through loadRecipe (src/recipe/load.ts) needs nothing here: the loader itself loads
// the behaviours of the types the recipe names, and their schemas only if it must parse it.
// Every other command gets all of them (a command added later is safe by default).
import { loadStepTypes } from './index.js'

const recipeReaders = new Set(['up', 'doctor', 'validate', 'list', 'stats'])

export async function loadStepTypesForCommand(command: string): Promise<void> {
  if (!recipeReaders.has(command)) await loadStepTypes()
}
