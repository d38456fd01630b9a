// Glob matching for cleanup, walking the tree itself. tinyglobby cannot serve here: without
// following links it leaves symbolic links out of its results entirely, so `log/*` would
// never match a stray link; following them would crawl wherever they point. This walker
// never follows a link, reports links as matches, and stays under the pattern's fixed prefix.
// Supports `*`, `**`, `?`, `[abc]`, `[!abc]` and `{a,b}`; dot files match like any other.
// A backslash before a glob character (`\[`) makes it literal. No wildcard ever matches `/`.
import { type Dirent, readdirSync } from 'node:fs'
import path from 'node:path'

/** `{a,b}` → every alternative (nested braces included). */
export function expandBraces(pattern: string): string[] {
  const open = firstUnescaped(pattern, '{')
  if (open < 0) return [pattern]
  let depth = 0
  const commas: number[] = []
  for (let i = open; i < pattern.length; i++) {
    const char = pattern[i]
    if (isEscape(pattern, i)) i++
    else if (char === '{') depth++
    else if (char === '}' && --depth === 0) {
      const bounds = [open, ...commas, i]
      const head = pattern.slice(0, open)
      const tail = pattern.slice(i + 1)
      return bounds
        .slice(1)
        .flatMap((end, k) => expandBraces(head + pattern.slice(bounds[k]! + 1, end) + tail))
    } else if (char === ',' && depth === 1) commas.push(i)
  }
  return [pattern] // unbalanced: literal
}

/** Characters a backslash makes literal. Before anything else a backslash is itself literal. */
const escapable = new Set(['*', '?', '[', ']', '{', '}', ',', '!', '^', '\\'])

function isEscape(text: string, i: number): boolean {
  return text[i] === '\\' && i + 1 < text.length && escapable.has(text[i + 1]!)
}

function firstUnescaped(text: string, wanted: string): number {
  for (let i = 0; i < text.length; i++) {
    if (isEscape(text, i)) i++
    else if (text[i] === wanted) return i
  }
  return -1
}

export function isGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (isEscape(pattern, i)) i++
    else if ('*?[{'.includes(pattern[i]!)) return true
  }
  return false
}

/** A pattern without wildcards → the path it names (`a\[1\].log` → `a[1].log`). */
export function unescapeGlob(pattern: string): string {
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    if (isEscape(pattern, i)) i++
    out += pattern[i]
  }
  return out
}

/**
 * Whether a segment can match (nearly) any name: wildcards and at most dots (`*`, `**`,
 * `*.*`, `.*`, `[a-z]*`). A pattern made only of such segments empties the folder.
 */
export function isCatchAllSegment(segment: string): boolean {
  if (!isGlob(segment)) return false
  let literal = ''
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!
    if (isEscape(segment, i)) literal += segment[++i]
    else if (char === '[' && classEnd(segment, i) > 0) i = classEnd(segment, i)
    else if (char !== '*' && char !== '?' && char !== '{' && char !== '}' && char !== ',') literal += char
  }
  return /^\.*$/.test(literal)
}

/** The index of the `]` closing a class opened at `open`, or -1 (then `[` is literal). */
function classEnd(segment: string, open: number): number {
  let start = open + 1
  if (segment[start] === '!' || segment[start] === '^') start++
  // A `]` right after `[` or `[!` belongs to the class.
  return segment.indexOf(']', start + 1)
}

/** One brace-free pattern → a regex over `/`-separated relative paths. */
export function globRegex(pattern: string): RegExp {
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.')
  let source = ''
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1
    if (segment === '**') {
      source += last ? '.+' : '(?:[^/]+/)*'
      return
    }
    source += segmentSource(segment) + (last ? '' : '/')
  })
  return new RegExp(`^${source}$`)
}

function segmentSource(segment: string): string {
  let out = ''
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!
    if (isEscape(segment, i)) out += regexLiteral(segment[++i]!)
    else if (char === '*') out += '[^/]*'
    else if (char === '?') out += '[^/]'
    else if (char === '[' && classEnd(segment, i) > 0) {
      const close = classEnd(segment, i)
      let body = segment.slice(i + 1, close)
      const negated = body.startsWith('!') || body.startsWith('^')
      if (negated) body = body.slice(1)
      body = body.replace(/[\\\]^]/g, '\\$&')
      // `(?!/)`: a range may span `/` (`[+-0]`) and a negated class would match it; neither may.
      out += `(?!/)[${negated ? '^/' : ''}${body}]`
      i = close
    } else out += regexLiteral(char)
  }
  return out
}

function regexLiteral(char: string): string {
  return char.replace(/[.*+?^$()|\\[\]{}]/g, '\\$&')
}

export interface WalkOptions {
  /** Folder names never entered nor matched (.git, .devsetup). */
  skip: ReadonlySet<string>
}

/**
 * Relative paths under `cwd` matching `pattern` (brace-free): files, folders and links.
 * A matching folder is reported without looking inside it; links are never entered.
 */
export function matchGlob(pattern: string, cwd: string, options: WalkOptions): string[] {
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.')
  const fixed = fixedPrefix(pattern).split('/').filter(Boolean)
  const regex = globRegex(pattern)
  const unbounded = segments.includes('**')
  // node_modules is skipped by `**` unless the pattern names it: nobody means it by `**/*.log`.
  const skip = new Set(options.skip)
  if (!pattern.includes('node_modules')) skip.add('node_modules')
  const found: string[] = []
  const visit = (rel: string, depth: number) => {
    let entries: Dirent[]
    try {
      entries = readdirSync(path.join(cwd, rel), { withFileTypes: true })
    } catch {
      return // missing, not a folder, or unreadable: nothing matches there
    }
    for (const entry of entries) {
      if (skip.has(entry.name)) continue
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (regex.test(child)) found.push(child)
      else if (entry.isDirectory() && (unbounded || depth + 1 < segments.length)) visit(child, depth + 1)
    }
  }
  visit(fixedPrefix(pattern), fixed.length)
  return found
}

/** The leading segments without wildcards: where a walk for the pattern starts. */
export function fixedPrefix(pattern: string): string {
  const fixed: string[] = []
  for (const segment of pattern.split('/').filter((s) => s !== '' && s !== '.')) {
    if (isGlob(segment)) break
    fixed.push(unescapeGlob(segment))
  }
  return fixed.join('/')
}
