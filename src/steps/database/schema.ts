// The `database` step's keys, validated at load time (so a bad URL points at `url:`), and
// resolved into one target: a server database (PostgreSQL, MySQL/MariaDB) or a SQLite file.
import * as z from 'zod'
import { maskUrls } from '../../engine/mask.js'
import { parseDuration } from '../../recipe/duration.js'
import { isEscapingPath } from '../../recipe/paths.js'
import { durationInput } from '../../recipe/schema.js'

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

export interface DatabaseConfig {
  target: Target
  start: string | undefined
  startTimeoutMs: number
  migrate: string | undefined
  migrations: string[] | undefined
  migrationsTable: string | undefined
  seed: string | undefined
  load: string | undefined
}

const schemes: Record<string, Engine> = {
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
const serverKeys = ['host', 'port', 'user', 'password', 'name', 'start'] as const

const command = z.string().min(1)

export const schema = z
  .strictObject({
    engine: z
      .enum(['postgres', 'mysql', 'mariadb', 'sqlite'])
      .optional()
      .describe('postgres, mysql (also for MariaDB: `mariadb`) or sqlite; optional when `url` tells it'),
    url: z
      .string()
      .min(1)
      .optional()
      .describe('postgres://user:password@host:5432/name, mysql://..., sqlite:path'),
    host: z.string().min(1).optional().describe('Server host (default localhost); instead of `url`'),
    port: z.number().int().min(1).max(65535).optional().describe('Server port (default 5432 / 3306)'),
    user: z.string().min(1).optional().describe('User to connect as'),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: documents the ${NAME} syntax
    password: z.string().optional().describe('Password (prefer ${DB_PASSWORD} from the environment)'),
    name: z.string().min(1).optional().describe('Database name'),
    path: z.string().min(1).optional().describe('SQLite: the database file, relative to the step cwd'),
    start: command.optional().describe('Command that starts the server when it is not reachable'),
    start_timeout: durationInput('30s or 2m', { zero: false })
      .optional()
      .describe('How long to wait for the server after `start` (default 30s)'),
    migrate: command.optional().describe('Command that applies migrations (runs with DATABASE_URL set)'),
    migrations: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional()
      .describe(
        "Globs of the migration files (the folder the migration tool reads): doctor compares them with the tool's table in the database (knex_migrations, schema_migrations, SequelizeMeta, ...); for a tool it does not know, with their fingerprint at the last migrate",
      ),
    migrations_table: z
      .string()
      .regex(/^[^\s.]+(\.[^\s.]+)?$/, 'is a table name, optionally schema.table')
      .optional()
      .describe(
        "The migration tool's table when it is not found by its default name (knex's `tableName`, node-pg-migrate's `--migrations-table`): `name` or `schema.name`; the tool is told by its columns",
      ),
    load: command
      .optional()
      .describe(
        'Command that loads the schema into a database this run created, before `migrate` (bin/rails db:schema:load, as db:prepare does): faster than replaying every migration; never run on an existing database',
      ),
    seed: command
      .optional()
      .describe('Command that seeds a database this run created (never an existing one)'),
  })
  .superRefine((raw, ctx) => {
    const problem = (path: string, message: string, input?: unknown) =>
      ctx.addIssue({ code: 'custom', path: [path], message, input })
    let engine: Engine | undefined = raw.engine === 'mariadb' ? 'mysql' : raw.engine
    if (raw.url !== undefined) {
      // The input is shown in the error: masked, so a typo never prints a password.
      const parsed = parseUrl(raw.url)
      if (!parsed)
        return problem('url', 'is not a URL (postgres://user:password@host/name)', maskUrls(raw.url))
      const fromScheme = schemes[parsed.protocol]
      if (!fromScheme)
        return problem(
          'url',
          `unknown scheme \`${parsed.protocol}\` (postgres:, mysql:, mariadb:, sqlite:)`,
          maskUrls(raw.url),
        )
      if (engine && engine !== fromScheme)
        return problem('url', `is a ${fromScheme} URL but \`engine\` is ${raw.engine}`, maskUrls(raw.url))
      engine = fromScheme
      const clash = [...serverKeys.filter((k) => k !== 'start'), 'path'].find(
        (k) => raw[k as keyof typeof raw] !== undefined,
      )
      if (clash) problem(clash, `give either \`url\` or \`${clash}\`, not both`)
      if (engine !== 'sqlite' && !decode(parsed.pathname.slice(1)))
        problem(
          'url',
          'names no database: add it as the path, e.g. postgres://localhost/app_dev',
          maskUrls(raw.url),
        )
    }
    if (!engine) return problem('engine', 'missing `engine` (postgres, mysql or sqlite)')
    if (engine === 'sqlite') {
      for (const key of serverKeys)
        if (raw[key] !== undefined) problem(key, 'is not used by sqlite (no server)')
      if (raw.url === undefined && raw.path === undefined) problem('path', 'missing `path` (the SQLite file)')
      const key = raw.url === undefined ? 'path' : 'url'
      const file = raw.url === undefined ? raw.path : sqliteUrlFile(raw.url)
      if (raw.url !== undefined && isInMemory(raw.url, file!))
        problem(
          'url',
          'is an in-memory SQLite database: there is nothing to set up (remove the step, or give a file: sqlite:db/dev.sqlite3)',
          raw.url,
        )
      else if (file !== undefined && isEscapingPath(file))
        problem(key, 'must be a path inside the repository (relative, without `..` that leaves it)', raw[key])
    } else {
      if (raw.path !== undefined) problem('path', `is for sqlite; a ${engine} database has a \`name\``)
      if (raw.url === undefined && raw.name === undefined)
        problem('name', 'missing `url` or `name` (the database)')
    }
    if (raw.migrations && !raw.migrate)
      problem('migrations', 'needs `migrate`: the command that applies them')
    if (raw.migrations_table && !raw.migrations)
      problem('migrations_table', 'needs `migrations`: the files to compare its rows with')
    for (const pattern of raw.migrations ?? [])
      if (isEscapingPath(pattern)) problem('migrations', 'globs must stay inside the repository', pattern)
  })
  // The structural rules above, as JSON Schema says them (for editors: src/recipe/json-schema.ts).
  .meta({
    anyOf: [{ required: ['engine'] }, { required: ['url'] }],
    dependentRequired: { migrations: ['migrate'], migrations_table: ['migrations'] },
    dependentSchemas: {
      url: {
        not: { anyOf: ['host', 'port', 'user', 'password', 'name', 'path'].map((k) => ({ required: [k] })) },
      },
    },
  })
  .transform((raw): DatabaseConfig => {
    const engine = resolveEngine(raw)
    return {
      target: engine === 'sqlite' ? sqliteTarget(raw) : serverTarget(engine, raw),
      start: raw.start,
      startTimeoutMs: raw.start_timeout === undefined ? 30_000 : (parseDuration(raw.start_timeout) ?? 30_000),
      migrate: raw.migrate,
      migrations: raw.migrations,
      migrationsTable: raw.migrations_table,
      seed: raw.seed,
      load: raw.load,
    }
  })

type Raw = z.input<typeof schema> & { migrations?: string[] }

function resolveEngine(raw: Raw): Engine {
  if (raw.url !== undefined) return schemes[parseUrl(raw.url)!.protocol]!
  return raw.engine === 'mariadb' ? 'mysql' : (raw.engine as Engine)
}

function sqliteTarget(raw: Raw): SqliteTarget {
  if (raw.url === undefined) return { engine: 'sqlite', file: raw.path!, url: undefined }
  return { engine: 'sqlite', file: sqliteUrlFile(raw.url), url: raw.url }
}

/** The file a SQLite URL names: sqlite:db/dev.sqlite3 and file:./dev.db are relative; sqlite:///var/db/x is absolute. */
function sqliteUrlFile(url: string): string {
  const rest = url.replace(/^[a-z0-9]+:/i, '').split('?')[0]!
  const file = rest.startsWith('//') ? rest.replace(/^\/\/[^/]*/, '') : rest
  return decode(file) || file
}

/** `sqlite::memory:`, `file::memory:?cache=shared`, `file:x?mode=memory`: no file to create or keep. */
function isInMemory(url: string, file: string): boolean {
  return file === ':memory:' || file === '' || /[?&]mode=memory(&|$)/.test(url)
}

function serverTarget(engine: ServerEngine, raw: Raw): ServerTarget {
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

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
