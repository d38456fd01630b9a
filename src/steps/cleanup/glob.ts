// Glob matching for cleanup, walking the tree itself. tinyglobby cannot serve here: without
// following links it leaves symbolic links out of its results entirely, so `log/*` would
// never match a stray link; following them would crawl wherever they point. This walker
// never follows a link, reports links as matches, and stays under the pattern's fixed prefix.
// Supports `*`, `**`, `?`, `[abc]`, `[!abc]` and `{a,b}`; dot files match like any other.
import { type Dirent, readdirSync } from 'node:fs'
import path from 'node:path'

/** `{a,b}` → every alternative (nested braces included). */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{')
  if (open < 0) return [pattern]
  let depth = 0
  const commas: number[] = []
  for (let i = open; i < pattern.length; i++) {
    const char = pattern[i]
    if (char === '{') depth++
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

export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern)
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
    if (char === '*') out += '[^/]*'
    else if (char === '?') out += '[^/]'
    else if (char === '[' && segment.indexOf(']', i + 2) > 0) {
      const close = segment.indexOf(']', i + 2)
      let body = segment.slice(i + 1, close).replace(/\\/g, '\\\\')
      if (body.startsWith('!')) body = `^${body.slice(1)}`
      out += `[${body}]`
      i = close
    } else out += char.replace(/[.+^$()|\\[\]{}]/g, '\\$&')
  }
  return out
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
    fixed.push(segment)
  }
  return fixed.join('/')
}
