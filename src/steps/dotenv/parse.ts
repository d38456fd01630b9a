// A .env parser that keeps the file's lines: the dotenv step must know which lines
// define which key (to copy a missing key with its comment) without ever rewriting a line.
// Accepts what dotenv (Node), dotenv (Ruby) and docker compose accept in practice:
// comments, `export KEY=...`, single/double/backtick quotes (double-quoted values may span
// lines), inline `# comments` after unquoted values, empty values, CRLF line endings.

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
  eol: '\n' | '\r\n'
  endsWithNewline: boolean
  entries: DotenvEntry[]
  /** 1-based numbers of lines that are neither blank, comment nor `KEY=value`. */
  invalidLines: number[]
}

const assignment = /^\s*(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/
const quotes = new Set(['"', "'", '`'])

export function parseDotenv(text: string): DotenvFile {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n'
  const endsWithNewline = text.endsWith('\n')
  const lines = text === '' ? [] : text.split(/\r?\n/)
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

function readValue(rest: string, lines: string[], index: number): { value: string; lastLine: number } {
  const quote = rest[0]
  if (quote !== undefined && quotes.has(quote)) {
    // The closing quote may be on a later line (multi-line values, e.g. a PEM key).
    let text = rest.slice(1)
    for (let last = index; last < lines.length; last++) {
      const close = closingQuote(text, quote)
      if (close >= 0) {
        const inner = text.slice(0, close)
        return { value: quote === '"' ? unescapeDouble(inner) : inner, lastLine: last }
      }
      if (last + 1 < lines.length) text += `\n${lines[last + 1]}`
    }
    // Never closed: read the line as an unquoted value rather than swallowing the file.
  }
  return { value: stripInlineComment(rest), lastLine: index }
}

function closingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++
    else if (text[i] === quote) return i
  }
  return -1
}

const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' }

function unescapeDouble(text: string): string {
  return text.replace(/\\(.)/g, (whole, char: string) => escapes[char] ?? whole)
}

/** `value # comment` → `value`; a `#` not preceded by whitespace is part of the value (`pa#ss`). */
function stripInlineComment(rest: string): string {
  const hash = rest.search(/(^|\s)#/)
  return (hash >= 0 ? rest.slice(0, hash) : rest).trim()
}
