// A .env parser that keeps the file's lines: the dotenv step must know which lines
// define which key (to copy a missing key with its comment) without ever rewriting a line.
// Follows dotenv (Node, 16.x) where it decides which lines define which key: comments,
// `export KEY=...`, `KEY: value`, single/double/backtick quotes that may span lines but
// close only at a quote followed by end of line or a comment, inline `# comments` after
// unquoted values, empty values, LF, CRLF and CR-only line endings.
// A disagreement here could make devsetup append a key dotenv already reads (the appended
// placeholder would then win), so the step also has a raw-text safety net (guard.ts).

export interface DotenvEntry {
  key: string
  /** The value as an application would see it (quotes removed, escapes expanded in "..."). */
  value: string
  exported: boolean
  /** 0-based index of the line holding `KEY=`. */
  firstLine: number
  /** Last line of the definition (differs from firstLine for a multi-line quoted value). */
  lastLine: number
  /** First line of the comment block directly above (no blank line between); firstLine if none. */
  commentStart: number
}

export interface DotenvFile {
  lines: string[]
  /** The file's line ending, reused for anything appended to it. */
  eol: '\n' | '\r\n' | '\r'
  endsWithNewline: boolean
  entries: DotenvEntry[]
  /** 1-based numbers of lines that are neither blank, comment nor `KEY=value`. */
  invalidLines: number[]
}

// dotenv: `KEY = value`, or `KEY: value` (the colon right after the key, then whitespace).
const assignment = /^\s*(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)(?:\s*=|:(?=\s))\s*(.*)$/
const quotes = new Set(['"', "'", '`'])

export function parseDotenv(text: string): DotenvFile {
  // The first line break found is the file's style; dotenv itself treats \r\n and \r as \n.
  const eol = (/\r\n|\r|\n/.exec(text)?.[0] ?? '\n') as DotenvFile['eol']
  const endsWithNewline = /[\r\n]$/.test(text)
  const lines = text === '' ? [] : text.split(/\r\n|\r|\n/)
  if (endsWithNewline) lines.pop()
  const entries: DotenvEntry[] = []
  const invalidLines: number[] = []
  let commentStart: number | undefined

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const trimmed = line.trim()
    if (trimmed === '') {
      commentStart = undefined
      continue
    }
    if (trimmed.startsWith('#')) {
      commentStart ??= i
      continue
    }
    const match = assignment.exec(line)
    if (!match) {
      invalidLines.push(i + 1)
      commentStart = undefined
      continue
    }
    const [, exportPrefix, key, rest] = match
    const { value, lastLine } = readValue(rest!, lines, i)
    entries.push({
      key: key!,
      value,
      exported: exportPrefix !== undefined,
      firstLine: i,
      lastLine,
      commentStart: commentStart ?? i,
    })
    commentStart = undefined
    i = lastLine
  }
  return { lines, eol, endsWithNewline, entries, invalidLines }
}

/** The keys defined in a parsed file, in order of first definition. */
export function dotenvKeys(file: DotenvFile): string[] {
  return [...new Set(file.entries.map((e) => e.key))]
}

/** Which definition of a key to take: dotenv keeps the last; an append copies the first (merge.ts). */
export type Pick = 'first' | 'last'

export function definitionOf(file: DotenvFile, key: string, pick: Pick): DotenvEntry | undefined {
  const entries = definitionsByKey(file).get(key)
  return pick === 'first' ? entries?.[0] : entries?.at(-1)
}

/** Each key's definitions, indexed once per parsed file: a huge file is looked up key by key. */
const indexes = new WeakMap<DotenvFile, Map<string, DotenvEntry[]>>()

function definitionsByKey(file: DotenvFile): Map<string, DotenvEntry[]> {
  let index = indexes.get(file)
  if (!index) {
    index = new Map()
    for (const entry of file.entries) {
      const list = index.get(entry.key)
      if (list) list.push(entry)
      else index.set(entry.key, [entry])
    }
    indexes.set(file, index)
  }
  return index
}

/** KEY → value as the app sees it (a later definition wins, as in dotenv's parse). */
export function dotenvValues(text: string): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const entry of parseDotenv(text).entries) vars[entry.key] = entry.value
  return vars
}

function readValue(rest: string, lines: string[], index: number): { value: string; lastLine: number } {
  const quoted = readQuoted(rest, lines, index)
  if (quoted) return quoted
  // dotenv: no valid closing quote, so the rest of this line up to a comment is the value;
  // quotes around all of it are still removed (`'it''s'` → `it''s`).
  const value = stripInlineComment(rest)
  const wrapped = /^(['"`])([\s\S]*)\1$/.exec(value)
  if (!wrapped) return { value, lastLine: index }
  return { value: wrapped[1] === '"' ? unescapeDouble(wrapped[2]!) : wrapped[2]!, lastLine: index }
}

/** After a closing quote, dotenv allows only whitespace and a comment up to the end of the line. */
const afterClosingQuote = /^\s*(#.*)?$/

/**
 * dotenv's rule for a quoted value: its text may hold the quote only escaped (`\"`), may
 * span lines (a PEM key), and ends at a quote followed by end of line or a comment; of
 * those, the last one before an unescaped quote (dotenv's regex is greedy). A backslash
 * before the closing quote does not escape it: `"C:\Users\me\"` ends on its own line.
 * Undefined when no quote closes it that way.
 */
function readQuoted(
  rest: string,
  lines: string[],
  index: number,
): { value: string; lastLine: number } | undefined {
  const quote = rest[0]
  if (quote === undefined || !quotes.has(quote)) return undefined
  const before: string[] = []
  let best: { value: string; lastLine: number } | undefined
  for (let last = index; last < lines.length; last++) {
    const line = last === index ? rest.slice(1) : lines[last]!
    for (let i = 0; i < line.length; i++) {
      if (line[i] !== quote) continue
      if (afterClosingQuote.test(line.slice(i + 1))) {
        const inner = [...before, line.slice(0, i)].join('\n')
        best = { value: quote === '"' ? unescapeDouble(inner) : inner, lastLine: last }
      }
      if (line[i - 1] !== '\\') return best
    }
    before.push(line)
  }
  return best
}

/** dotenv expands only `\n` and `\r` in double quotes; every other backslash stays. */
function unescapeDouble(text: string): string {
  return text.replace(/\\n/g, '\n').replace(/\\r/g, '\r')
}

/** `value # comment` → `value`; a `#` not preceded by whitespace is part of the value (`pa#ss`). */
function stripInlineComment(rest: string): string {
  const hash = rest.search(/(^|\s)#/)
  return (hash >= 0 ? rest.slice(0, hash) : rest).trim()
}
