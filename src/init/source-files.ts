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

/**
 * Files under `root` whose name `pattern` matches, walked as sourceFiles walks: folder by folder,
 * the shallower first (the cap keeps the app's own top folders rather than one deep tree), down to
 * six levels: a file-routed app's route sits at src/routes/(group)/api/health/+server.ts.
 */
export function filesMatching(root: string, pattern: RegExp): string[] {
  const found: string[] = []
  let level = ['']
  for (let depth = 0; depth <= maxDepth && level.length > 0 && found.length < maxFiles; depth++) {
    const next: string[] = []
    for (const dir of level) {
      let names: string[]
      try {
        names = readdirSync(path.join(root, dir)).sort()
      } catch {
        continue
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
        if (stats.isDirectory()) next.push(rel)
        else if (pattern.test(name) && stats.size < 200_000 && found.length < maxFiles) found.push(rel)
      }
    }
    level = next
  }
  return found
}

const maxDepth = 6
const maxFiles = 400

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
