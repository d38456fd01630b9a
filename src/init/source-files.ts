// The app's own source files, for what init reads in code (env validators, health routes): a
// few folder levels deep and a few hundred files at most, so init stays fast on a big repository.
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const sourceFile = /\.(c|m)?[jt]s$/
const skipped = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'coverage',
  'public',
  'vendor',
  'test',
  'tests',
])

/** JavaScript and TypeScript files under `root`, relative to it: the usual code folders, a few levels deep and at most a few hundred. */
export function sourceFiles(root: string): string[] {
  return filesMatching(root, sourceFile)
}

/** Files under `root` whose name `pattern` matches, walked as sourceFiles walks. */
export function filesMatching(
  root: string,
  pattern: RegExp,
  dir = '',
  depth = 0,
  found: string[] = [],
): string[] {
  if (depth > 4 || found.length >= 400) return found
  let names: string[]
  try {
    names = readdirSync(path.join(root, dir))
  } catch {
    return found
  }
  for (const name of names) {
    if (skipped.has(name) || name.startsWith('.')) continue
    const rel = dir ? `${dir}/${name}` : name
    let stats: ReturnType<typeof statSync>
    try {
      stats = statSync(path.join(root, rel))
    } catch {
      continue
    }
    if (stats.isDirectory()) filesMatching(root, pattern, rel, depth + 1, found)
    else if (pattern.test(name) && stats.size < 200_000 && found.length < 400) found.push(rel)
  }
  return found
}

/**
 * JS/TS source with its comments blanked (every line and column kept, so file:line still points
 * at the code): a `// process.env.X` or a commented-out `new Sequelize(…)` is no read. A `//`
 * after a colon, a quote or a backtick starts no comment (`'http://…'`).
 */
export function withoutComments(text: string): string {
  return text.replace(
    /\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/.*$/gm,
    (comment, before = '') => before + comment.slice(before.length).replace(/[^\n]/g, ' '),
  )
}
