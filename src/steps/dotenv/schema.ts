// The `dotenv` step's config (src/steps/dotenv.ts): which example, which file, what to generate or set.

import path from 'node:path'
import * as z from 'zod'
import { relativePath } from '../../recipe/schema.js'

const envFile = relativePath
  .refine((p) => p.trim() !== '' && !/[\\/]$/.test(p), {
    message: 'must be a file path (relative to the step cwd)',
  })
  // git's config and hooks run commands (core.sshCommand): never a place for KEY=value lines.
  .refine((p) => !p.split(/[\\/]+/).includes('.git'), {
    message: "is inside `.git`, git's own folder: devsetup never reads or writes an env file there",
  })
const keyName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'not a variable name')
/** One key or a list of them, read as a list. */
const keyList = () =>
  z
    .union([keyName, z.array(keyName)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()

const defaults = { from: '.env.example', to: '.env' }

const objectForm = z
  .strictObject({
    from: envFile.optional().describe('The example file to copy keys from (default .env.example)'),
    to: envFile.optional().describe('The file to create or complete (default .env)'),
    generate: keyList().describe(
      'Keys that get a random secret (128 hex characters) when missing or empty, e.g. SECRET_KEY_BASE; a value is never replaced',
    ),
    required: keyList().describe(
      'Keys that must not be empty, e.g. DATABASE_NAME: an emptied one is red and filled with its value from `set:` or the example; a value is never replaced. Leave out a key you blank on purpose (to turn a feature off)',
    ),
    set: z
      .record(keyName, z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .optional()
      .describe(
        'Values for this machine (DATABASE_HOST: 127.0.0.1), written when the key is created or appended; an existing value is never changed',
      ),
  })
  .superRefine((cfg, ctx) => {
    if (path.normalize(cfg.from ?? defaults.from) === path.normalize(cfg.to ?? defaults.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must differ from `from`' })
    }
  })

export const schema = z
  .union([z.undefined(), envFile, objectForm])
  .transform((v) => {
    const cfg = typeof v === 'string' ? { from: v } : (v ?? {})
    const set = cfg.set ?? {}
    const generate = cfg.generate ?? []
    const required = cfg.required ?? []
    // `extra`: keys the target must have beyond the example's (generated or set ones).
    const extra = [...new Set([...generate, ...Object.keys(set)])]
    return { from: cfg.from ?? defaults.from, to: cfg.to ?? defaults.to, generate, required, set, extra }
  })
  .describe('Create the .env file from its example, or add the keys it lacks (a string: the example)')
