// What the dotenv step writes: a new file copied from the example, or the lines to
// append to an existing one. Pure functions over parsed files, so the rule
// "never change or remove an existing line" is easy to see and to test.
import { randomBytes } from 'node:crypto'
import { type DotenvFile, definitionOf, dotenvKeys } from './parse.js'

/** 64 random bytes as hex: long enough for Rails' SECRET_KEY_BASE, Django's SECRET_KEY, JWT secrets. */
export function generateSecret(): string {
  return randomBytes(64).toString('hex')
}

/**
 * A secret in the form the example asks for: a comment above the key (or after it) saying
 * `openssl rand -hex 32` gets 32 random bytes as hex (outline accepts exactly 64 hex characters,
 * no more), `openssl rand -base64 N` N bytes as base64; any other key the default above.
 */
export function secretsFor(example: DotenvFile): (key: string) => string {
  return (key) => {
    const entry = definitionOf(example, key, 'first')
    const said = entry ? example.lines.slice(entry.commentStart, entry.lastLine + 1).join('\n') : ''
    const asked = /openssl rand -(hex|base64) (\d{1,3})\b/.exec(said)
    const bytes = Number(asked?.[2])
    if (!asked || bytes < 8) return generateSecret()
    return randomBytes(bytes).toString(asked[1] === 'hex' ? 'hex' : 'base64')
  }
}

/** Every key the target must define: the example's, plus the ones to generate. */
export function requiredKeys(example: DotenvFile, generate: readonly string[]): string[] {
  return [...new Set([...dotenvKeys(example), ...generate])]
}

export function missingKeys(target: DotenvFile, example: DotenvFile, generate: readonly string[]): string[] {
  const present = new Set(dotenvKeys(target))
  return requiredKeys(example, generate).filter((key) => !present.has(key))
}

export interface Addition {
  /** Text to write (a whole new file, or what to append). */
  text: string
  added: string[]
  generated: string[]
}

/** A new target: the example line for line, with a fresh secret for each key to generate. */
export function newFileFrom(
  example: DotenvFile,
  generate: readonly string[],
  secret: (key: string) => string = generateSecret,
  set: Readonly<Record<string, string>> = {},
): Addition {
  // A `set:` value wins over a generated secret: the recipe named that value outright.
  const secrets = new Map<string, string>(generate.map((key) => [key, secret(key)]))
  for (const [key, value] of Object.entries(set)) secrets.set(key, value)
  const definitionAt = new Map(example.entries.map((entry) => [entry.firstLine, entry]))
  const lines: string[] = []
  for (let i = 0; i < example.lines.length; i++) {
    const entry = definitionAt.get(i)
    const value = entry && secrets.get(entry.key)
    if (entry && value !== undefined) {
      // Every definition gets the secret: with dotenv, a later duplicate would win.
      lines.push(definitionLine(entry.key, value, entry.exported))
      i = entry.lastLine
    } else {
      lines.push(example.lines[i]!)
    }
  }
  const inExample = new Set(dotenvKeys(example))
  for (const [key, value] of secrets) if (!inExample.has(key)) lines.push(definitionLine(key, value, false))
  const text = lines.length > 0 ? lines.join(example.eol) + example.eol : ''
  return {
    text,
    added: requiredKeys(example, [...secrets.keys()]),
    generated: generate.filter((key) => !(key in set)),
  }
}

/**
 * The lines to append to an existing target: each key it lacks (less those in `skip`) with
 * the comment above it in the example and the example's value (a fresh secret for keys to
 * generate). The step itself already knows what is missing and calls appendixForMissing.
 */
export function appendixFor(
  target: DotenvFile,
  example: DotenvFile,
  generate: readonly string[],
  secret: (key: string) => string = generateSecret,
  skip: ReadonlySet<string> = new Set(),
): Addition {
  const missing = missingKeys(target, example, generate).filter((key) => !skip.has(key))
  return appendixForMissing(target, example, missing, generate, secret)
}

/** The appendix for exactly the `missing` keys, in that order. */
export function appendixForMissing(
  target: DotenvFile,
  example: DotenvFile,
  missing: readonly string[],
  generate: readonly string[],
  secret: (key: string) => string = generateSecret,
  set: Readonly<Record<string, string>> = {},
): Addition {
  const toGenerate = new Set(generate)
  const lines: string[] = []
  const generated: string[] = []
  for (const key of missing) {
    // The first definition (and its comment): what a later step reads of it (dotenv/scope.ts).
    const entry = definitionOf(example, key, 'first')
    if (entry) lines.push(...example.lines.slice(entry.commentStart, entry.firstLine))
    if (key in set) {
      lines.push(definitionLine(key, set[key]!, entry?.exported ?? false))
    } else if (toGenerate.has(key)) {
      lines.push(definitionLine(key, secret(key), entry?.exported ?? false))
      generated.push(key)
    } else if (entry) {
      lines.push(...example.lines.slice(entry.firstLine, entry.lastLine + 1))
    }
  }
  if (lines.length === 0) return { text: '', added: [], generated: [] }
  const eol = target.lines.length > 0 ? target.eol : example.eol
  // Finish an unterminated last line first, so the new key does not glue onto its value.
  const lead = target.lines.length > 0 && !target.endsWithNewline ? eol : ''
  const separator = target.lines.length > 0 && target.lines.at(-1)!.trim() !== '' ? eol : ''
  return { text: lead + separator + lines.join(eol) + eol, added: [...missing], generated }
}

function definitionLine(key: string, value: string, exported: boolean): string {
  // Plain where dotenv reads it back unchanged; otherwise double-quoted with its escapes.
  const written = /^[\w.,:/@+-]*$/.test(value) ? value : JSON.stringify(value)
  return `${exported ? 'export ' : ''}${key}=${written}`
}

/**
 * Those of `keys` the target defines with an empty value (`JWT_SECRET=` copied from an example
 * that leaves it blank, `MYSQL_DATABASE=` emptied by hand): for a key to generate or a required
 * one, the app fails on it. Filling an empty value loses nothing; a key with any value, or
 * defined twice, is never touched.
 */
export function emptyKeys(target: DotenvFile, keys: readonly string[]): string[] {
  return keys.filter((key) => {
    const entries = target.entries.filter((e) => e.key === key)
    return entries.length === 1 && entries[0]!.value === '' && entries[0]!.firstLine === entries[0]!.lastLine
  })
}

/**
 * The target's text with each of `keys` (see emptyKeys) given its value (a fresh secret, or the
 * required key's value) on its own line; every other byte, line endings included, is kept as it was.
 */
export function fillEmpty(
  text: string,
  target: DotenvFile,
  keys: readonly string[],
  fillWith: (key: string) => string = generateSecret,
): string {
  // Lines at even indexes, their line breaks between them.
  const parts = text.split(/(\r\n|\r|\n)/)
  for (const key of keys) {
    const entry = target.entries.find((e) => e.key === key)!
    parts[entry.firstLine * 2] = definitionLine(key, fillWith(key), entry.exported)
  }
  return parts.join('')
}
