// `devsetup schema`: the recipe's JSON Schema, for editors (yaml-language-server).
// `--write` saves it as devsetup.schema.json next to the recipe, and makes the recipe's first
// line `# yaml-language-server: $schema=./devsetup.schema.json` (`init` writes it too).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from '../engine/write-atomic.js'
import { ExitCode as Exit, type ExitCode, UserError } from '../errors.js'
import { recipeJsonSchema } from '../recipe/json-schema.js'
import { findRecipe } from '../recipe/load.js'
import { type Output, processOutput } from './options.js'

export const schemaFileName = 'devsetup.schema.json'
/** The recipe's first line: the schema path is relative to the recipe, so it works in any clone. */
export const schemaComment = `# yaml-language-server: $schema=./${schemaFileName}`

export async function schema(
  options: { output?: Output; write?: boolean; cwd?: string; recipe?: string } = {},
): Promise<ExitCode> {
  const output = options.output ?? processOutput
  if (!options.write) {
    output.out(JSON.stringify(recipeJsonSchema(), null, 2))
    return Exit.ok
  }
  const cwd = options.cwd ?? process.cwd()
  let recipe: string | undefined
  try {
    recipe = findRecipe(cwd, options.recipe)
  } catch (error) {
    // No recipe yet: the schema goes where `init` will write one (with the line that points to it).
    if (!(error instanceof UserError) || options.recipe) throw error
  }
  const file = writeSchemaFile(recipe ? path.dirname(recipe) : path.resolve(cwd))
  const shown = (name: string) => path.relative(cwd, name) || name
  output.out(`✔ wrote ${shown(file)}`)
  if (recipe) output.out(pointRecipeAtSchema(recipe, shown(recipe)))
  return Exit.ok
}

/**
 * Makes the recipe's first line the one that points editors at the schema. A recipe that already
 * names another schema is left as it is: the person chose it; they are told the line instead.
 */
function pointRecipeAtSchema(recipe: string, shown: string): string {
  const text = readFileSync(recipe, 'utf8')
  const lines = text.split('\n')
  if (lines.some((line) => line.trim() === schemaComment)) return `✔ ${shown} already points to it`
  const other = lines.find((line) => /^#\s*yaml-language-server:\s*\$schema=/.test(line))
  if (other)
    return `! ${shown} names another schema (${other.trim()}); to use this one, make it:\n  ${schemaComment}`
  writeFileAtomic(recipe, `${schemaComment}\n${text}`)
  return `✔ added to ${shown}, as its first line: ${schemaComment}`
}

/** Writes devsetup.schema.json into `dir` (atomically) and returns its path. */
export function writeSchemaFile(dir: string): string {
  if (!existsSync(dir)) throw new UserError(`${dir} does not exist`)
  const file = path.join(dir, schemaFileName)
  writeFileAtomic(file, `${JSON.stringify(recipeJsonSchema(), null, 2)}\n`)
  return file
}
