// A missing environment variable: the app (or its env validator) names it. The fix is the
// `dotenv` line that provides it: `generate:` for a secret, or the key in the example file.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { dotenvValues } from '../../steps/dotenv/parse.js'
import { configField, findStep, named } from './recipe-terms.js'
import type { FailureFacts, Signature } from './types.js'

const secretName = /SECRET|_KEY$|KEY_BASE|TOKEN|SALT|PASSWORD|PEPPER/

/** The value of `name` in a dotenv file: undefined when the file or the key is absent. */
function valueIn(file: string, name: string): string | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  // As dotenv reads it: `KEY=   # comment` is an empty value, not the comment.
  return dotenvValues(text)[name]
}

function dotenvFix(name: string, facts: FailureFacts): string {
  const dotenv = findStep(facts, 'dotenv')
  const secret = secretName.test(name)
  if (!dotenv) {
    const line = secret
      ? `\`- dotenv: { from: .env.example, generate: [${name}] }\``
      : '`- dotenv: { from: .env.example }`'
    return `add ${line} before this step${secret ? '' : ` with ${name} in .env.example`}, or give it in the recipe's \`env:\``
  }
  const dir = path.resolve(facts.root, dotenv.options.cwd ?? '.')
  const from = String(configField(dotenv, 'from') ?? '.env.example')
  const to = String(configField(dotenv, 'to') ?? '.env')
  const generated = (configField(dotenv, 'generate') as string[] | undefined) ?? []
  const inTarget = valueIn(path.join(dir, to), name)
  const at = named(dotenv, facts)
  if (inTarget === '')
    return `${name} is empty in ${to} (devsetup never changes a value there): set it in ${to}${secret && !generated.includes(name) ? `, or \`generate: [${name}]\` in ${at}` : ''}`
  if (inTarget !== undefined)
    return `${to} has ${name}, but this command did not read it: load ${to} in the app (dotenv), or run after ${at}`
  if (secret) return `add \`generate: [${name}]\` to ${at} (a random secret for this machine)`
  return valueIn(path.join(dir, from), name) === undefined
    ? `add ${name} to ${from} (${at} copies it into ${to}), or \`set: { ${name}: … }\` in that step`
    : `${at} copies ${name} from ${from} into ${to}: run it before this step`
}

export const envSignatures: Signature[] = [
  {
    id: 'missing-env',
    patterns: [
      /key not found: "([A-Z][A-Z0-9_]+)" \(KeyError\)/,
      /[Mm]issing environment variables?:?\s*\n\s*([A-Z][A-Z0-9_]+):/,
      /(?:[Mm]issing|[Rr]equired|[Uu]ndefined)\s+(?:required\s+)?[Ee]nv(?:ironment)?\s+[Vv]ar(?:iable)?s?[:\s]+["'`]?([A-Z][A-Z0-9_]{2,})/,
      /[Ee]nv(?:ironment)?\s+[Vv]ar(?:iable)?\s+["'`]?([A-Z][A-Z0-9_]{2,})["'`]?\s+(?:is\s+)?(?:missing|required|not set|not defined|undefined)/,
    ],
    explain(match, facts, text) {
      // A validator lists every missing variable, one per line under its heading.
      const names = [match[1]!]
      const list = /[Mm]issing environment variables?:?\s*\n((?:[ \t]+[A-Z][A-Z0-9_]+:[^\n]*\n?)+)/.exec(text)
      if (list)
        for (const m of list[1]!.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm))
          if (!names.includes(m[1]!)) names.push(m[1]!)
      return {
        cause: `the environment variable${names.length > 1 ? 's' : ''} ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} not set`,
        fix: names.map((name) => dotenvFix(name, facts)).join('; '),
      }
    },
  },
]
