// The zod schemas of the recipe itself: top level, common step keys, conditions.
// Each step type brings its own schema (src/steps/*); json-schema.ts combines them for editors.
import * as z from 'zod'
import { parseDuration } from './duration.js'
import { isEscapingPath } from './paths.js'

z.config({ jitless: true })

const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]))

const platforms = ['linux', 'darwin', 'macos', 'win32', 'windows', 'freebsd', 'openbsd'] as const
const platformAliases: Record<string, string> = { macos: 'darwin', windows: 'win32' }

export const conditionSchema = z
  .strictObject({
    platform: z
      .union([z.enum(platforms), z.array(z.enum(platforms))])
      .transform((v) => (Array.isArray(v) ? v : [v]).map((p) => platformAliases[p] ?? p))
      .optional()
      .describe('Run only on these platforms (linux, darwin/macos, win32/windows, ...)'),
    arch: stringList.optional().describe('Run only on these CPU architectures (x64, arm64, ...)'),
    env: z
      .union([
        z.string(),
        z.array(z.string()),
        z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      ])
      .transform((v): Record<string, string | true> => {
        if (typeof v === 'string') return { [v]: true }
        if (Array.isArray(v)) return Object.fromEntries(v.map((name) => [name, true as const]))
        return Object.fromEntries(Object.entries(v).map(([k, val]) => [k, val === true ? true : String(val)]))
      })
      .optional()
      .describe('Variables that must be set (a name or list of names), or name → required value'),
    ci: z.boolean().optional().describe('true: only on CI; false: never on CI'),
    exists: stringList.optional().describe('Paths, relative to the repository, that must exist'),
  })
  .describe('Run the step only when every given condition holds')

const envValue = z.union([z.string(), z.number(), z.boolean()]).transform(String)
export const envSchema = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a variable name'),
  envValue,
)

export const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
/** A step id, optionally with the kind of change: `database`, `database:created`. */
export const changeRefPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*(:[a-z]+)?$/

/** A path that must stay inside the repository: relative, and no `..` that climbs out. */
export const relativePath = z.string().refine((p) => !isEscapingPath(p), {
  message: 'must be a path inside the repository (relative, without `..` that leaves it)',
})

// What parseDuration reads, as a pattern: the JSON Schema for editors carries it, so an editor
// underlines `timeout: soon` as validate refuses it.
const durationPattern = /^\s*(?:\d+(?:\.\d+)?|(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+)\s*$/
const nonZeroDurationPattern = new RegExp(`^(?=.*[1-9])${durationPattern.source.slice(1)}`)

/** A duration as the recipe gives it: "90s", "5m", "1h30m", "500ms", or a bare number of seconds. */
export function durationInput(example: string, options: { zero: boolean }) {
  const message = `expected a duration such as ${example}${options.zero ? '' : ', above zero'}`
  return z.union([
    z.string().regex(options.zero ? durationPattern : nonZeroDurationPattern, message),
    options.zero ? z.number().nonnegative(message) : z.number().positive(message),
  ])
}

export const commonKeysSchema = z.strictObject({
  name: z.string().min(1).optional().describe('What the step is called in the task tree'),
  id: z
    .string()
    .regex(idPattern, 'letters, digits, `.`, `_` and `-` only')
    .optional()
    .describe('For --only / --skip; derived from the name or type when absent'),
  if: conditionSchema.optional(),
  timeout: durationInput('90s, 5m or 1h', { zero: false })
    // Node's timers hold at most 2^31-1 ms (about 24.8 days); 0 would fail every step at once.
    .refine((v) => (parseDuration(v) ?? 1) >= 1 && (parseDuration(v) ?? 0) <= 2 ** 31 - 1, {
      message: 'must be between 1ms and 24 days',
    })
    .transform((v) => Math.round(parseDuration(v)!))
    .optional()
    .describe('Kill the step after this long (90s, 5m, 1h; a bare number is seconds)'),
  retries: z.number().int().min(0).max(20).optional().describe('Run again this many times when it fails'),
  optional: z.boolean().optional().describe('A failure is a warning and the run goes on'),
  env: envSchema.optional().describe('Environment variables for this step only'),
  cwd: relativePath.optional().describe('Working directory, relative to the repository'),
  restarts: z
    .boolean()
    .optional()
    .describe(
      "Whether this step's changes need the app server restarted (default: per type; cleanup: false)",
    ),
  when_changed: stringList
    .pipe(z.array(z.string().regex(changeRefPattern, 'a step id, or id:kind such as db:created')))
    .optional()
    .describe(
      'Run this step again when one of these steps changed (id, or id:kind such as database:created)',
    ),
})

export const commonKeys = Object.keys(commonKeysSchema.shape)

export const recipeTopSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).describe('Recipe format version; always 1'),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: documents the ${NAME} syntax
  env: envSchema.optional().describe('Environment variables for every step; usable as ${NAME} in values'),
  steps: z.array(z.unknown()).describe('The steps, in order'),
})

export const groupKeysSchema = z.strictObject({
  parallel: z.array(z.unknown()).min(1),
  name: z.string().min(1).optional(),
  id: z.string().regex(idPattern).optional(),
})
