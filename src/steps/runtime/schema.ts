// The `runtime` step's config (src/steps/runtime.ts): a language and a version spec, checked as written.
import semver from 'semver'
import * as z from 'zod'
import { isEscapingPath } from '../../recipe/paths.js'
import { didYouMean } from '../../recipe/suggest.js'
import { languageNames, languages } from './languages.js'
import { provideSemver } from './semver.js'
import { parseSpec } from './spec.js'
import { specOptions } from './want.js'

// A spec outside simple-range.ts's grammar is checked by semver while the recipe is parsed.
provideSemver(semver)

/** Adds an issue when `version` is not a spec devsetup understands, at the `version` key. */
function checkVersion(name: string, version: unknown, issuePath: string[], ctx: z.RefinementCtx) {
  const lang = languages[name]
  if (!lang || typeof version !== 'string') return
  if (version.startsWith('file:')) {
    const file = version.slice('file:'.length).trim()
    if (file === '' || isEscapingPath(file)) {
      ctx.addIssue({
        code: 'custom',
        path: issuePath,
        input: version,
        message: 'file: must name a file inside the repository',
      })
    }
    return
  }
  const spec = parseSpec(version, specOptions(lang))
  if (typeof spec === 'string')
    ctx.addIssue({ code: 'custom', path: issuePath, input: version, message: spec })
}

const versionValue = z
  .union([z.string().min(1), z.number()])
  .refine((v) => typeof v === 'string' || Number.isInteger(v), {
    message: 'quote the version ("3.10"): YAML reads an unquoted 3.10 as the number 3.1',
  })
  .transform(String)
  .describe('Wanted version: 22, 3.12, 20.11.1, ">=3.11 <3.13", lts/*, lts/iron, latest, or file:<path>')

const objectForm = z
  .strictObject({
    name: z.enum(languageNames as [string, ...string[]]).describe('The language'),
    version: versionValue.optional(),
  })
  .superRefine((cfg, ctx) => checkVersion(cfg.name, cfg.version, ['version'], ctx))

// `node` or `node@22`.
const shorthand = z
  .string()
  .superRefine((value, ctx) => {
    const [name, version] = splitShorthand(value)
    if (!languages[name]) {
      const message = `unknown runtime \`${name}\`: ${didYouMean(name, languageNames)}`
      ctx.addIssue({ code: 'custom', message })
    } else checkVersion(name, version, [], ctx)
  })
  .transform((value) => {
    const [name, version] = splitShorthand(value)
    return version === undefined ? { name } : { name, version }
  })

function splitShorthand(value: string): [string, string | undefined] {
  const at = value.indexOf('@')
  return at < 0 ? [value.trim(), undefined] : [value.slice(0, at).trim(), value.slice(at + 1).trim()]
}

export const schema = z
  .union([shorthand, objectForm])
  .describe('A language version: `node`, `node@22`, or { name, version }')
