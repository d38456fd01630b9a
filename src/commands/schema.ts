// `devsetup schema`: the recipe's JSON Schema, for editors (yaml-language-server).
import { ExitCode as Exit, type ExitCode } from '../errors.js'
import { recipeJsonSchema } from '../recipe/json-schema.js'
import { type Output, processOutput } from './options.js'

export async function schema(options: { output?: Output } = {}): Promise<ExitCode> {
  const output = options.output ?? processOutput
  output.out(JSON.stringify(recipeJsonSchema(), null, 2))
  return Exit.ok
}
