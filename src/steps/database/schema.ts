// The `database` step's keys, validated at load time (so a bad URL points at `url:`), and
// resolved into one target: a server database (PostgreSQL, MySQL/MariaDB) or a SQLite file.
import * as z from 'zod'
import { maskUrls } from '../../engine/mask.js'
import { parseDuration } from '../../recipe/duration.js'
import { isEscapingPath } from '../../recipe/paths.js'
import { durationInput } from '../../recipe/schema.js'
import {
  decode,
  type Engine,
  isInMemory,
  parseUrl,
  resolveEngine,
  schemes,
  serverTarget,
  sqliteTarget,
  sqliteUrlFile,
  type Target,
} from './target.js'

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
