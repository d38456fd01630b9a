// The recipe's JSON Schema, generated from the same zod schemas the loader validates with.
import * as z from 'zod'
import { stepTypes } from '../steps/index.js'
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
  return {
    ...z.toJSONSchema(recipe, { io: 'input', unrepresentable: 'any' }),
    title: 'devsetup recipe (devsetup.yml)',
  }
}
