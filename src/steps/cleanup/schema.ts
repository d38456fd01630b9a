// The `cleanup` step's config (src/steps/cleanup.ts): what to delete, what to keep, how old; patterns that could reach outside the repository or delete everything are refused here.

import path from 'node:path'
import * as z from 'zod'
import { parseDuration } from '../../recipe/duration.js'
import { isEscapingPath } from '../../recipe/paths.js'
import { expandBraces, globRegex, isCatchAllSegment, unescapeGlob } from './glob.js'
import { protectedNames } from './targets.js'

const toList = (v: string | string[]) => (Array.isArray(v) ? v : [v])

/** Why a cleanup pattern is refused at load time, or undefined when it is fine. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'must not be empty'
  // Each alternative of `{a,b}` on its own: `{..,tmp}/*` hides a `..` inside braces.
  for (const alternative of expandBraces(pattern)) {
    if (isEscapingPath(alternative) || isEscapingPath(unescapeGlob(alternative))) return outsideMessage
    // Normalised first: `x/..` is `.`, and `x/../*` is `*`.
    const segments = path.posix
      .normalize(alternative)
      .split('/')
      .filter((part) => part !== '' && part !== '.')
    if (segments.length === 0 || segments.every(isCatchAllSegment)) return everythingMessage
    const parts = unescapeGlob(alternative).split(/[\\/]+/)
    const guarded = parts.find((part) => protectedNames.has(part))
    if (guarded) return `\`${guarded}\` is never cleaned`
    try {
      globRegex(alternative)
    } catch {
      return 'has an invalid character class (a range such as [z-a]); write it as [a-z]'
    }
  }
  return undefined
}

const everythingMessage =
  "would delete everything in the step's folder (the whole repository by default): " +
  'name what to clean, e.g. tmp/cache or log/*.log'

const outsideMessage = 'must be a path inside the repository (relative, without `..` that leaves it)'

const cleanupPattern = z.string().superRefine((pattern, ctx) => {
  const problem = patternProblem(pattern)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})
const keepPattern = z.string().superRefine((pattern, ctx) => {
  const alternatives = expandBraces(pattern)
  if (alternatives.some((a) => isEscapingPath(a) || isEscapingPath(unescapeGlob(a))))
    ctx.addIssue({ code: 'custom', message: outsideMessage })
})

export const schema = z
  .strictObject({
    paths: z
      .union([cleanupPattern, z.array(cleanupPattern).min(1)])
      .transform(toList)
      .describe('Globs or folders, relative to the step cwd; a folder named without wildcards is emptied'),
    older_than: z
      .union([z.string(), z.number()])
      .refine((v) => parseDuration(v) !== undefined, {
        message: 'expected a duration such as 7d, 12h or 30m',
      })
      .transform((v) => ({ text: String(v), ms: parseDuration(v)! }))
      .optional()
      .describe('Only files last modified longer ago than this (7d, 12h; a bare number is seconds)'),
    required: z
      .boolean()
      .default(true)
      .describe(
        "Whether files left make the step unmet (default true). false: for files the running app writes again at once (Rails' log/ and tmp/cache): they are reported, never red, and cleaned when a step in `when_changed` changed, or with --force",
      ),
    keep: z
      .union([keepPattern, z.array(keepPattern)])
      .transform(toList)
      .optional()
      .describe('Paths or globs never deleted, e.g. log/.keep'),
  })
  .describe('Delete matching files and folders inside the repository; report count and bytes')
