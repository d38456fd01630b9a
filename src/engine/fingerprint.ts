// Content fingerprints of files named by globs: what `inputs`, lockfiles and migrations
// are compared against to decide whether a step must run again.
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'

/** Folders nobody means when they write `**`: skipping them keeps fingerprints fast. */
const ignored = ['**/node_modules/**', '**/.git/**', '**/.devsetup/**']
const ignoredNames = new Set(['node_modules', '.git', '.devsetup'])

/**
 * Whether `pattern` may hold glob syntax. False means picomatch sees a plain path (its scan
 * marks a glob only at `*`, `?`, `[`, `{`, `(` and a leading `!`); true means "ask tinyglobby".
 */
export function mayBeGlob(pattern: string): boolean {
  return /[*?[\]{}()!+@\\]/.test(pattern)
}

export async function matchFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const simple = await matchSimple(patterns, cwd)
  if (simple) return simple
  // Loaded only for patterns the walk below does not take (tinyglobby brings picomatch and fdir).
  const { glob } = await import('tinyglobby')
  const files = await glob([...patterns], {
    cwd,
    ignore: ignored,
    dot: true,
    onlyFiles: true,
    // Links are followed: `config/db.yml -> ../shared/db.yml` changes when the shared file does.
    followSymbolicLinks: true,
  })
  return files.sort()
}

/** `assets/*.css`, `db/migrations/*.sql`, `scripts/build.js`: folders named plainly, `*` only in the file name. */
const simplePattern = /^(?:[\w.-]+\/)*[\w.*-]+$/

/**
 * What tinyglobby finds (with the options above) for the simplest patterns, with one readdir
 * each; undefined when a pattern or an entry is outside what this covers (any other glob
 * syntax, `**`, an ignored folder, a symbolic link, a folder that tinyglobby would expand to
 * `folder/**`, anything that is neither file nor folder).
 * test/unit/fingerprint.test.ts checks its answers against tinyglobby's.
 */
export async function matchSimple(patterns: readonly string[], cwd: string): Promise<string[] | undefined> {
  const parsed = patterns.map((pattern) => {
    const segments = pattern.split('/')
    const name = segments.pop()!
    const plain =
      simplePattern.test(pattern) &&
      !pattern.includes('**') &&
      segments.every((s) => s !== '.' && s !== '..' && !ignoredNames.has(s)) &&
      name !== '.' &&
      name !== '..' &&
      !ignoredNames.has(name)
    return plain ? { dir: segments.join('/'), name } : undefined
  })
  if (parsed.some((p) => p === undefined)) return undefined
  const lists = await Promise.all(
    parsed.map(async (p) => {
      const { dir, name } = p!
      const prefix = dir === '' ? '' : `${dir}/`
      // A plain name is looked up in its folder's listing too, not with stat: the listing has
      // the names' exact case, as tinyglobby compares them (stat would not, on macOS).
      const entries = await readdir(`${cwd}/${dir || '.'}`, { withFileTypes: true }).catch(() => [])
      const matches = entries.filter((entry) => starMatch(name, entry.name))
      // A folder is left out by a pattern ending in `*` and expanded by any other.
      const unusual = (entry: (typeof matches)[number]) =>
        !(entry.isFile() || (entry.isDirectory() && name.endsWith('*'))) || ignoredNames.has(entry.name)
      if (matches.some(unusual)) return undefined
      return matches.filter((entry) => entry.isFile()).map((entry) => prefix + entry.name)
    }),
  )
  if (lists.some((list) => list === undefined)) return undefined
  return [...new Set(lists.flat() as string[])].sort()
}

/** `name` matches `pattern`, where `*` stands for any run of characters (none included). */
function starMatch(pattern: string, name: string): boolean {
  const parts = pattern.split('*')
  if (parts.length === 1) return name === pattern
  const first = parts[0]!
  const last = parts[parts.length - 1]!
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last))
    return false
  let at = first.length
  const end = name.length - last.length
  for (const part of parts.slice(1, -1)) {
    const found = name.indexOf(part, at)
    if (found < 0 || found + part.length > end) return false
    at = found + part.length
  }
  return true
}

/** sha256 over the sorted relative paths and contents of every matching file. */
export async function fingerprintFiles(
  patterns: readonly string[],
  cwd: string,
): Promise<{ hash: string; files: number }> {
  const files = await matchFiles(patterns, cwd)
  const hash = createHash('sha256')
  const contents = await Promise.all(files.map((file) => readFile(`${cwd}/${file}`)))
  files.forEach((file, i) => {
    hash.update(file)
    hash.update('\0')
    hash.update(contents[i]!)
    hash.update('\0')
  })
  return { hash: hash.digest('hex'), files: files.length }
}
