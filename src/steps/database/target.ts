// Where a `database` step points: its keys resolved into one target, a server database
// (PostgreSQL, MySQL/MariaDB) or a SQLite file. schema.ts validates the keys, then calls these.

export type ServerEngine = 'postgres' | 'mysql'
export type Engine = ServerEngine | 'sqlite'

export interface ServerTarget {
  engine: ServerEngine
  /** The full URL, password included: only ever passed to the driver and to migrate/seed's env. */
  url: string
  /** True when the recipe gave `url` (passed on verbatim); false when built from host/port/... */
  fromUrl: boolean
  host: string
  port: number
  user: string | undefined
  password: string | undefined
  name: string
}

export interface SqliteTarget {
  engine: 'sqlite'
  /** As written (from `path` or the URL): relative to the step's cwd, inside the repository. */
  file: string
  url: string | undefined
}

export type Target = ServerTarget | SqliteTarget

export const schemes: Record<string, Engine> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mysql2:': 'mysql',
  'trilogy:': 'mysql',
  'mariadb:': 'mysql',
  'sqlite:': 'sqlite',
  'sqlite3:': 'sqlite',
  'file:': 'sqlite',
}
const defaultPorts: Record<ServerEngine, number> = { postgres: 5432, mysql: 3306 }
/** The keys the target is resolved from, as the recipe gave them (validated by schema.ts). */
export interface TargetKeys {
  engine?: 'postgres' | 'mysql' | 'mariadb' | 'sqlite' | undefined
  url?: string | undefined
  host?: string | undefined
  port?: number | undefined
  user?: string | undefined
  password?: string | undefined
  name?: string | undefined
  path?: string | undefined
}

export function resolveEngine(raw: TargetKeys): Engine {
  if (raw.url !== undefined) return schemes[parseUrl(raw.url)!.protocol]!
  return raw.engine === 'mariadb' ? 'mysql' : (raw.engine as Engine)
}

export function sqliteTarget(raw: TargetKeys): SqliteTarget {
  if (raw.url === undefined) return { engine: 'sqlite', file: raw.path!, url: undefined }
  return { engine: 'sqlite', file: sqliteUrlFile(raw.url), url: raw.url }
}

/** The file a SQLite URL names: sqlite:db/dev.sqlite3 and file:./dev.db are relative; sqlite:///var/db/x is absolute. */
export function sqliteUrlFile(url: string): string {
  const rest = url.replace(/^[a-z0-9]+:/i, '').split('?')[0]!
  const file = rest.startsWith('//') ? rest.replace(/^\/\/[^/]*/, '') : rest
  return decode(file) || file
}

/** `sqlite::memory:`, `file::memory:?cache=shared`, `file:x?mode=memory`: no file to create or keep. */
export function isInMemory(url: string, file: string): boolean {
  return file === ':memory:' || file === '' || /[?&]mode=memory(&|$)/.test(url)
}

export function serverTarget(engine: ServerEngine, raw: TargetKeys): ServerTarget {
  if (raw.url !== undefined) {
    const u = parseUrl(raw.url)!
    return {
      engine,
      url: raw.url,
      fromUrl: true,
      host: decode(u.hostname.replace(/^\[|\]$/g, '')) || u.searchParams.get('host') || 'localhost',
      port: u.port ? Number(u.port) : defaultPorts[engine],
      user: decode(u.username) || undefined,
      password: u.password ? decode(u.password) : undefined,
      name: decode(u.pathname.slice(1)),
    }
  }
  const host = raw.host ?? 'localhost'
  const port = raw.port ?? defaultPorts[engine]
  const auth = raw.user
    ? `${encodeURIComponent(raw.user)}${raw.password ? `:${encodeURIComponent(raw.password)}` : ''}@`
    : ''
  // A Unix socket folder cannot be a URL host: PostgreSQL reads it from ?host=.
  const socket = host.startsWith('/')
  const url = `${engine === 'postgres' ? 'postgres' : 'mysql'}://${auth}${socket ? 'localhost' : host}:${port}/${encodeURIComponent(raw.name!)}${socket ? `?host=${encodeURIComponent(host)}` : ''}`
  return {
    engine,
    url,
    fromUrl: false,
    host,
    port,
    user: raw.user,
    password: raw.password,
    name: raw.name!,
  }
}

export function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

export function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
