// `devsetup schema`: the recipe's JSON Schema, for editors (yaml-language-server).
// `--write` saves it as devsetup.schema.json next to the recipe, where the recipe's first
// line (`# yaml-language-server: $schema=./devsetup.schema.json`, written by `init`) points.
import { existsSync } from 'node:fs'
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
  let dir: string
  try {
    dir = path.dirname(findRecipe(cwd, options.recipe))
  } catch (error) {
    // No recipe yet: the schema goes where `init` will write one.
    if (!(error instanceof UserError) || options.recipe) throw error
    dir = path.resolve(cwd)
  }
  const file = writeSchemaFile(dir)
  output.out(`✔ wrote ${path.relative(cwd, file) || file}`)
  return Exit.ok
}

/** Writes devsetup.schema.json into `dir` (atomically) and returns its path. */
export function writeSchemaFile(dir: string): string {
  if (!existsSync(dir)) throw new UserError(`${dir} does not exist`)
  const file = path.join(dir, schemaFileName)
  writeFileAtomic(file, `${JSON.stringify(recipeJsonSchema(), null, 2)}\n`)
  return file
}
