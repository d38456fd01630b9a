// What a knexfile really says: where it is, its client (a literal, or an environment
// variable such as `client: env.DB_CLIENT`), the SQLite file, and the migrations and seeds
// folders, relative to the knexfile (knex's CLI runs in the knexfile's folder, and
// `path.join(__dirname, 'server/migrations')` means the same).
import path from 'node:path'
import type { RepoProbe } from '../../repo.js'

export interface Knexfile {
  file: string
  /** The literal client ('pg', 'sqlite3'), or undefined when it comes from the environment. */
  client: string | undefined
  /** The variable the client is read from (DB_CLIENT), when it is. */
  clientVar: string | undefined
  /** A literal connection URL. */
  url: string | undefined
  /** The variable the connection URL is read from (`connectionString: process.env.DEV_DATABASE_URL`). */
  urlVar: string | undefined
  /**
   * `process.env.DATABASE_URL || "sqlite://./database/kener.sqlite.db"`: the URL a fresh clone
   * gets, when the knexfile picks its client from that URL's scheme in code (kener's knexfile.ts).
   */
  defaultUrl?: { variable: string; url: string }
  /** The SQLite file, relative to the repository root. */
  sqliteFile: string | undefined
  migrations: string
  /** `migrations: { tableName: 'migrations' }`: knex's record under a name other than knex_migrations. */
  migrationsTable: string | undefined
  /** The seeds folder, only when it exists and holds a file. */
  seeds: string | undefined
  /** `--knexfile <file>` when it is not where knex looks by default. */
  flag: string
  /** Where each value came from, when the knexfile was loaded (`filename db/data from DB_FILENAME in .env`). */
  loaded?: string[]
}

const places = [
  '',
  'src/',
  'server/',
  'db/',
  'database/',
  'config/',
  'src/db/',
  'src/database/',
  'src/config/',
]
const names = ['knexfile.js', 'knexfile.ts', 'knexfile.cjs', 'knexfile.mjs']

export function findKnexfile(repo: RepoProbe): Knexfile | undefined {
  const file = places.flatMap((dir) => names.map((n) => `${dir}${n}`)).find((f) => repo.has(f))
  if (!file) return undefined
  // Commented-out blocks (`// client: "sqlite3"`) are not what the app runs; the development
  // block is what the knex CLI uses by default, so it is read first when there is one.
  const whole = (repo.read(file) ?? '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const text = block(whole, /\bdevelopment\s*:\s*\{/) ?? whole
  const dir = path.posix.dirname(file)
  const inRepo = (p: string) => path.posix.normalize(path.posix.join(dir, p)).replace(/^\.\//, '')
  const clientLiteral = /\bclient\s*:\s*['"]([\w-]+)['"]/.exec(text)?.[1]
  const clientVar = /\bclient\s*:\s*(?:process\??\.)?env\??\.(\w+)/.exec(text)?.[1]
  // `process.env.DB_CLIENT || 'pg'`: the fallback is what a fresh clone gets.
  const fallback = clientVar
    ? new RegExp(`env\\??\\.${clientVar}\\s*(?:\\|\\||\\?\\?)\\s*['"]([\\w-]+)['"]`).exec(text)?.[1]
    : undefined
  const url =
    /connection\s*:\s*(?:process\.env\.\w+\s*(?:\|\||\?\?)\s*)?['"]((?:postgres|mysql)[^'"]*)['"]/.exec(
      text,
    )?.[1]
  const urlVar =
    /connection(?:String)?\s*:\s*(?:process\??\.)?env\??\.(\w+)/.exec(text)?.[1] ??
    /connectionString\s*:\s*(?:process\??\.)?env\??\.(\w+)/.exec(text)?.[1]
  const fallbackUrl = /env\??\.(\w+)\s*(?:\|\||\?\?)\s*['"`]([a-z][\w+]*:\/\/[^'"`]+)['"`]/.exec(whole)
  const filename = folderIn(/filename\s*:\s*([^\n}]+)/.exec(text)?.[1])
  const migrations = folderIn(/migrations\s*:\s*\{[^}]*?directory\s*:\s*([^\n}]+)/.exec(text)?.[1])
  const tableName = /migrations\s*:\s*\{[^}]*?tableName\s*:\s*['"]([\w.]+)['"]/.exec(text)?.[1]
  const seeds = folderIn(/seeds\s*:\s*\{[^}]*?directory\s*:\s*([^\n}]+)/.exec(text)?.[1])
  const migrationsDir = inRepo(migrations ?? 'migrations')
  const seedsDir = inRepo(seeds ?? 'seeds')
  return {
    file,
    client: clientLiteral ?? fallback,
    clientVar,
    url,
    urlVar,
    ...(fallbackUrl ? { defaultUrl: { variable: fallbackUrl[1]!, url: fallbackUrl[2]! } } : {}),
    sqliteFile: filename && !filename.includes(':memory:') ? inRepo(filename) : undefined,
    migrations: migrationsDir,
    migrationsTable: tableName === 'knex_migrations' ? undefined : tableName,
    seeds: hasSeedFiles(repo, seedsDir) ? seedsDir : undefined,
    flag: dir === '.' ? '' : ` --knexfile ${file}`,
  }
}

export const hasSeedFiles = (repo: RepoProbe, dir: string): boolean =>
  repo.list(dir).some((f) => /\.(c|m)?[jt]s$/.test(f))

/** The path an expression names: './db.sqlite', path.join(__dirname, 'server', 'migrations'), `${__dirname}/x`. */
function folderIn(expression: string | undefined): string | undefined {
  if (!expression || /^\s*(process\.)?env\b/.test(expression)) return undefined
  // A literal: only the first one (`'./db.sqlite', tableName: 'x'` on one line); a call: its arguments.
  const literal = /^\s*(['"`])([^'"`]*)\1/.exec(expression)
  const call = /^\s*(?:path\.)?(?:join|resolve)\(([^)]*)\)/.exec(expression)?.[1]
  if (!literal && call === undefined) return undefined
  const parts = [...(literal ? literal[0] : call!).matchAll(/['"`]([^'"`]*)['"`]/g)].map((m) =>
    m[1]!.replace(/\$\{__dirname\}\/?/, ''),
  )
  if (parts.length === 0) return undefined
  return path.posix.join(...parts.map((p) => p.replace(/^\.\//, '') || '.'))
}

/** The `{ ... }` that follows `start`, braces balanced (strings are not special: a knexfile rarely has braces in them). */
function block(text: string, start: RegExp): string | undefined {
  const match = start.exec(text)
  if (!match) return undefined
  let depth = 0
  for (let i = match.index + match[0].length - 1; i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return text.slice(match.index, i + 1)
  }
  return undefined
}
