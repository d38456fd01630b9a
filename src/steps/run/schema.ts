// The `run` step's config (src/steps/run.ts): the command and how to tell it is done.
import * as z from 'zod'
import { relativePath } from '../../recipe/schema.js'

const globList = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]))

export const schema = z.strictObject({
  run: z.string().min(1).describe('The shell command to run'),
  check: z.string().min(1).optional().describe('A command that exits 0 when the step is already done'),
  creates: z
    .union([relativePath, z.array(relativePath).min(1)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()
    .describe('A path or glob (relative to the step cwd) that exists once the step is done'),
  inputs: globList.optional().describe('Globs whose content, unchanged since the last success, means done'),
})
