// Escaping for the report formats. Reasons and fixes come from commands' output and from the
// recipe: they may hold markup, terminal color codes or control characters that XML forbids.
import { stripVTControlCharacters } from 'node:util'

// XML 1.0 allows tab, newline and carriage return of the C0 controls, and no U+FFFE/U+FFFF.
const forbiddenInXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/gu

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text safe inside an XML/HTML element or a quoted attribute: escaped, no control characters. */
export function escapeMarkup(text: string): string {
  return stripVTControlCharacters(text)
    .replace(forbiddenInXml, '')
    .replace(/[&<>"']/g, (c) => entities[c]!)
}

/** Text safe in a Markdown table cell: no formatting, no cell break, one line (`<br>` between). */
export function escapeMarkdownCell(text: string): string {
  return stripVTControlCharacters(text)
    .replace(forbiddenInXml, '')
    .replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, '<br>')
}

/** A Markdown code span in a table cell, for a command: backticks and `|` inside stay literal. */
export function markdownCode(text: string): string {
  return stripVTControlCharacters(text)
    .replace(forbiddenInXml, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))
      const fence = '`'.repeat(longest + 1)
      const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : ''
      // GFM splits table cells before it reads code spans: a `|` needs its backslash even here.
      return `${fence}${pad}${line.replace(/\|/g, '\\|')}${pad}${fence}`
    })
    .join('<br>')
}
