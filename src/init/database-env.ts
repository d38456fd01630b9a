// The database an example env file describes: a DATABASE_URL (possibly built from other
// variables: `postgres://${DB_USER}:${DB_PASSWORD}@...`), or split variables
// (DATABASE_HOST, DB_USER, DB_PASS, DB_NAME, DATABASE_TYPE=postgres, DB_DRIVER=pg, ...).
// A host that only resolves inside docker compose (`postgres`, `db`) is replaced by
// 127.0.0.1, and the key that held it is reported so the dotenv step can `set:` it.
import { type EnvExample, whereIn } from './env-example.js'

export type Engine = 'postgres' | 'mysql' | 'sqlite'

export interface EnvDatabase {
  engine: Engine | undefined
  /** A literal URL (variables resolved), or undefined when the file has no host/name. */
  url: string | undefined
  /** The same URL with `${KEY}` references to the example's keys it is built from (urlFields). */
  urlRef?: string | undefined
  /** The keys the new .env needs with this machine's values (a compose host → 127.0.0.1). */
  set: Record<string, string>
  why: string
  /** True when the app reads DATABASE_URL itself. */
  viaUrl: boolean
}

const engineWords: [RegExp, Engine][] = [
  [/postgres|\bpg\b|^pg$|psycopg|pgsql/i, 'postgres'],
  [/mysql|mariadb|trilogy/i, 'mysql'],
  [/sqlite/i, 'sqlite'],
]
export const engineOf = (text: string): Engine | undefined => engineWords.find(([re]) => re.test(text))?.[1]

const prefixes = ['DATABASE_', 'DB_', 'POSTGRES_', 'PG', 'MYSQL_', 'TYPEORM_']
const fields = {
  host: ['HOST', 'HOSTNAME'],
  port: ['PORT'],
  user: ['USERNAME', 'USER'],
  password: ['PASSWORD', 'PASS'],
  name: ['NAME', 'DATABASE', 'DB'],
  type: ['TYPE', 'DRIVER', 'CLIENT', 'DIALECT', 'CONNECTION', 'ENGINE'],
} as const

/** A host a fresh machine cannot reach: a compose service name, not a name with dots or an IP. */
export function isComposeHost(host: string): boolean {
  return (
    host !== '' && host !== 'localhost' && !host.includes('.') && !host.includes(':') && !host.startsWith('/')
  )
}

/** `${VAR}` / `$VAR` replaced by the example's own values; undefined if one is unknown. */
export function resolveVars(value: string, vars: Record<string, string>): string | undefined {
  let unknown = false
  const resolved = value.replace(/\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g, (_, braced, fallback, bare) => {
    const name = (braced ?? bare) as string
    const found = vars[name] !== undefined && vars[name] !== '' ? vars[name] : fallback
    if (found === undefined) unknown = true
    return found ?? ''
  })
  return unknown ? undefined : resolved
}

export function databaseFromEnv(example: EnvExample): EnvDatabase | undefined {
  const { vars } = example
  const rawUrl = vars.DATABASE_URL
  // `<LINK TO HEROKU POSTGRESQL INSTANCE>` is a placeholder, not a URL.
  if (rawUrl && /^[a-z][\w+.-]*:/i.test(rawUrl)) {
    const url = resolveVars(rawUrl, vars)
    const engine = url ? schemeEngine(url) : schemeEngine(rawUrl)
    if (url && engine) {
      const set: Record<string, string> = {}
      const local = localUrl(url)
      // The URL itself names a compose host: the new .env gets the local one.
      if (local !== url && !rawUrl.includes('$')) set.DATABASE_URL = local
      // A value built from other keys (`${DB_PASSWORD}`) is no URL in .env for a reference to read.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the recipe's ${VAR} syntax
      const urlRef = rawUrl.includes('$') ? undefined : '${DATABASE_URL}'
      return { engine, url: local, urlRef, set, why: whereIn(example, ['DATABASE_URL']), viaUrl: true }
    }
    // Built from variables the file does not set: kept as written, so init's note can show it.
    if (engine) return { engine, url: rawUrl, set: {}, why: whereIn(example, ['DATABASE_URL']), viaUrl: true }
  }
  for (const prefix of prefixes) {
    const get = (names: readonly string[]) => {
      const key = names.map((n) => `${prefix}${n}`).find((k) => vars[k] !== undefined)
      return key ? { key, value: vars[key]! } : undefined
    }
    const host = get(fields.host)
    const name = get(fields.name)
    const type = get(fields.type)
    if (!host && !name) continue
    const engine =
      (type && engineOf(type.value)) ?? (prefix === 'PG' || prefix === 'POSTGRES_' ? 'postgres' : undefined)
    const set: Record<string, string> = {}
    let hostName = host?.value ?? 'localhost'
    if (host && isComposeHost(host.value)) {
      set[host.key] = '127.0.0.1'
      hostName = '127.0.0.1'
    }
    const port = get(fields.port)
    const user = get(fields.user)
    const password = get(fields.password)
    const keys = [host, port, user, name, type].filter(Boolean).map((k) => k!.key)
    const why = whereIn(example, keys)
    // A name alone (POSTGRES_DB for a compose file) says too little: the app's config knows more.
    if (engine === 'sqlite' || !engine || !name?.value || !host)
      return { engine, url: undefined, set, why, viaUrl: false }
    const db = { host: hostName, port: port?.value, username: user?.value, password: password?.value }
    const database = encodeURIComponent(name.value)
    const refs = urlFields({ host, port, username: user, password, database: name }, set)
    const url = serverUrl(engine, database, db)
    return { engine, url, urlRef: serverUrl(engine, database, db, refs), set, why, viaUrl: false }
  }
  return undefined
}

function schemeEngine(url: string): Engine | undefined {
  const scheme = url.split(':')[0]!.toLowerCase()
  return scheme === 'file' ? 'sqlite' : engineOf(scheme)
}

/** The URL with a compose host replaced by 127.0.0.1. */
export function localUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (!isComposeHost(parsed.hostname)) return url
    parsed.hostname = '127.0.0.1'
    return parsed.toString()
  } catch {
    return url
  }
}

export type UrlField = 'host' | 'port' | 'username' | 'password' | 'database'
/** The example env keys the parts of a server URL come from: `${KEY}` in the URL init writes. */
export type UrlKeys = Partial<Record<UrlField, string>>

/**
 * The keys of `parts` a recipe may name as `${KEY}`: a reference resolves to the value in .env
 * (the dotenv step's `set:`, else the example's), so an edit of .env moves the database step with
 * the app. Not a key whose value is empty (the URL leaves that part out, a reference would not
 * resolve), nor one a URL must escape (`p@ss`: the value goes into the URL as it is), nor a
 * socket path for a host (the URL says localhost).
 */
export function urlFields(
  parts: Partial<Record<UrlField, { key: string; value: string } | undefined>>,
  set: Record<string, string> = {},
): UrlKeys {
  const keys: UrlKeys = {}
  for (const [field, part] of Object.entries(parts) as [UrlField, { key: string; value: string }][]) {
    const value = part ? (set[part.key] ?? part.value) : ''
    if (value === '' || encodeURIComponent(value) !== value) continue
    keys[field] = part.key
  }
  return keys
}

/** A server's URL; a part `keys` names is written as a `${KEY}` reference to the dotenv step's file. */
export function serverUrl(
  engine: Engine,
  database: string,
  db: Record<string, unknown>,
  keys: UrlKeys = {},
): string {
  const part = (field: UrlField, value: string) => (keys[field] ? `\${${keys[field]}}` : value)
  const user =
    typeof db.username === 'string' && db.username ? part('username', encodeURIComponent(db.username)) : ''
  const password =
    typeof db.password === 'string' && db.password
      ? `:${part('password', encodeURIComponent(db.password))}`
      : ''
  const host =
    typeof db.host === 'string' && db.host && !db.host.startsWith('/') ? part('host', db.host) : 'localhost'
  const port = db.port ? part('port', String(db.port)) : engine === 'postgres' ? '5432' : '3306'
  return `${engine}://${user ? `${user}${password}@` : ''}${host}:${port}/${part('database', database)}`
}

/**
 * A value init writes with `${KEY}` references to the dotenv step's file, as the first run reads
 * it (the step's `set:`, else the example's value), a compose host being this machine's server:
 * what init itself reads back from its own `url:` (the service's address, the summary).
 */
export function firstRunValue(
  value: string,
  example: EnvExample | undefined,
  set: Record<string, string> = {},
): string | undefined {
  if (!value.includes('$')) return value
  const resolved = resolveVars(value, { ...example?.vars, ...set })
  return resolved === undefined ? undefined : localUrl(resolved)
}
