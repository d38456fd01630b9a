// The recipe's JSON Schema, generated from the same zod schemas the loader validates with, so an
// editor underlines what `devsetup validate` refuses. What zod cannot say in JSON Schema is
// filled in here: a step type key with nothing after it, and the old camelCase spellings.
import * as z from 'zod'
import { stepTypes } from '../steps/index.js'
import { snakeCase } from './old-spellings.js'
import { commonKeysSchema, recipeTopSchema } from './schema.js'

export function recipeJsonSchema(): Record<string, unknown> {
  const types = [...stepTypes.values()]
  const bareNames = types.filter((t) => t.schema.safeParse(undefined).success).map((t) => t.type)
  const maps = types.map((t) =>
    (t.form === 'flat'
      ? commonKeysSchema.extend((t.schema as unknown as z.ZodObject).shape)
      : commonKeysSchema.extend({ [t.type]: t.schema })
    ).describe(`${t.type}: ${t.description}`),
  )
  const step =
    bareNames.length > 0 ? z.union([z.enum(bareNames as [string, ...string[]]), ...maps]) : z.union(maps)
  const group = z
    .strictObject({ parallel: z.array(step).min(1), name: z.string().optional(), id: z.string().optional() })
    .describe('Steps that run at the same time')
  const recipe = recipeTopSchema.extend({
    steps: z.array(z.union([step, group])).describe('The steps, in order'),
  })
  const schema = z.toJSONSchema(recipe, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      // `- dotenv:` with nothing after it is YAML null, which the loader reads as "no settings".
      if (zodSchema._zod.def.type === 'undefined') jsonSchema.type = 'null'
    },
  })
  addOldSpellings(schema)
  return { ...schema, title: 'devsetup recipe (devsetup.yml)' }
}

/**
 * Every snake_case key also under its old camelCase spelling (old-spellings.ts), marked
 * deprecated; the two spellings of one key together are refused, as validate refuses them.
 */
function addOldSpellings(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) addOldSpellings(item)
    return
  }
  if (node === null || typeof node !== 'object') return
  const schema = node as Record<string, unknown>
  for (const value of Object.values(schema)) addOldSpellings(value)
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined
  if (!properties) return
  const pairs: [string, string][] = []
  for (const key of Object.keys(properties).filter((k) => k.includes('_'))) {
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
    if (camel === key || snakeCase(camel) !== key || camel in properties) continue
    properties[camel] = { ...properties[key], deprecated: true, description: `Old spelling of \`${key}\`` }
    pairs.push([key, camel])
  }
  if (pairs.length === 0) return
  const both = pairs.map(([key, camel]) => ({ required: [key, camel] }))
  schema.not = schema.not ? { anyOf: [schema.not, ...both] } : { anyOf: both }
}
