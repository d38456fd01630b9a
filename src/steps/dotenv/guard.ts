// The safety net under the parser. Appending a key that the file already defines in a
// form the parser misread would put a placeholder after the developer's value, and dotenv
// reads the later definition: the value would be overridden. So before appending a key,
// the raw text (not the parsed file) is searched for any line that even looks like it
// defines that key; such a key is never appended but reported, to be fixed by hand.
import { type DotenvFile, parseDotenv } from './parse.js'

export interface UnreadableDefinition {
  key: string
  /** 1-based line number in the raw text. */
  line: number
}

/** The 1-based number of the first line that looks like `KEY=`, `export KEY =` or `KEY:`. */
export function rawDefinitionLine(text: string, key: string): number | undefined {
  const looksLikeDefinition = new RegExp(`^\\s*(?:export\\s+)?${escapeRegExp(key)}\\s*[=:]`)
  const index = text.split(/\r\n|\r|\n/).findIndex((line) => looksLikeDefinition.test(line))
  return index >= 0 ? index + 1 : undefined
}

/** Of the keys the parser found missing, those that a raw line seems to define after all. */
export function unreadableDefinitions(text: string, missing: readonly string[]): UnreadableDefinition[] {
  return missing.flatMap((key) => {
    const line = rawDefinitionLine(text, key)
    return line === undefined ? [] : [{ key, line }]
  })
}

/** `.env line 3 defines SECRET_KEY in a form devsetup cannot read; fix it by hand` */
export function describeUnreadable(file: string, found: readonly UnreadableDefinition[]): string {
  const where = found.map(({ key, line }) => `line ${line} defines ${key}`)
  const list = where.length === 1 ? where[0] : `${where.slice(0, -1).join(', ')} and ${where.at(-1)}`
  return `${file} ${list} in a form devsetup cannot read; fix ${found.length === 1 ? 'it' : 'them'} by hand`
}

/**
 * The second net, before writing: once the appendix is added, every key of the target must
 * still read as the same value (an unclosed quote in the target could otherwise take in
 * the appended lines) and every added key must read as defined. Says what would go wrong.
 */
export function appendProblem(
  text: string,
  target: DotenvFile,
  appendix: { text: string; added: readonly string[] },
): string | undefined {
  const after = lastValues(parseDotenv(text + appendix.text))
  for (const [key, value] of lastValues(target)) {
    if (after.get(key) !== value) return `appending would change how ${key} is read`
  }
  const unread = appendix.added.filter((key) => !after.has(key))
  if (unread.length > 0) return `the appended ${unread.join(', ')} would not be read as definitions`
  return undefined
}

/** dotenv keeps the last definition of a key. */
function lastValues(file: DotenvFile): Map<string, string> {
  return new Map(file.entries.map((entry) => [entry.key, entry.value]))
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')
}
