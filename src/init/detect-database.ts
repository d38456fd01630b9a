// The database a repository uses, from the files that configure it, and the framework's
// own migrate/seed commands. The URL comes from the most explicit source found.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { databaseFromEnv, type Engine, engineOf, serverUrl } from './database-env.js'
import type { DetectedStep } from './detect.js'
import type { EnvExample } from './env-example.js'
import { frameworkCommands } from './framework-commands.js'
import { fromDjango, fromRails } from './framework-databases.js'
import { findKnexfile } from './knexfile.js'
import type { RepoProbe } from './repo.js'

export interface Found {
  engine: Engine
  /** A literal URL, or undefined when only the engine is known. */
  url?: string
  why: string
  /** The app reads DATABASE_URL itself, so the recipe sets it for every step. */
  viaEnv?: boolean
  /** The variable the app reads its URL from, which the new .env must get (`set:`). */
  setVar?: string
}

export interface DetectedDatabase {
  step: DetectedStep
  env: Record<string, string>
  notes: string[]
  /** Keys the new .env needs with this machine's values (the dotenv step's `set:`). */
  set: Record<string, string>
  /** The app reads DATABASE_HOST/DB_USER/...: a template's DATABASE_URL would be a second, unused source. */
  splitVars: boolean
}

export function detectDatabase(repo: RepoProbe, example?: EnvExample): DetectedDatabase | undefined {
  const fromEnv = example ? databaseFromEnv(example) : undefined
  const envFound: Found | undefined =
    fromEnv?.engine !== undefined
      ? {
          engine: fromEnv.engine,
          why: fromEnv.why,
          viaEnv: fromEnv.viaUrl,
          ...(fromEnv.url ? { url: fromEnv.url } : {}),
        }
      : undefined
  const orm = fromNodeOrm(repo, example)
  const sources = [
    // A SQLite file the ORM config names beats split env vars that only say "sqlite".
    ...(orm?.engine === 'sqlite' && orm.url ? [orm] : []),
    envFound,
    fromRails(repo, example),
    fromDjango(repo),
    orm,
    fromCompose(repo),
  ]
  const found = [...new Set(sources)].filter((s): s is Found => s !== undefined)
  if (found.length === 0) return undefined
  const engine = found[0]!.engine
  const withUrl = found.find((f) => f.url !== undefined && f.engine === engine)
  const name = path.basename(repo.root).replace(/[^A-Za-z0-9_]/g, '_')
  const fallback = {
    postgres: `postgres://localhost:5432/${name}_development`,
    mysql: `mysql://root@localhost:3306/${name}_development`,
    sqlite: `sqlite:db/development.sqlite3`,
  }[engine]
  // A URL built from other variables (`postgres://app:${DB_PASSWORD}@...`) cannot be written into
  // the recipe: `${VAR:-default}` ends at the first `}`, and `$` would start an interpolation.
  const usable = withUrl?.url !== undefined && !/[$}]/.test(withUrl.url)
  const url = usable ? withUrl!.url! : fallback
  const placeholder = found.find((f) => f.setVar)?.setVar
  // Without a URL the recipe's DATABASE_URL (from the shell, or the default) is the one source;
  // an app that reads another variable gets the default through the dotenv step's `set:`.
  const viaEnv = found.some((f) => f.viaEnv) || (!usable && !placeholder)
  const notes = placeholder
    ? [
        `${placeholder} in ${example?.file} has no URL: the new .env gets ${readable(url)} (the dotenv step's \`set:\`)`,
      ]
    : !withUrl
      ? [`database URL not found: using ${fallback} (change DATABASE_URL in the recipe)`]
      : usable
        ? []
        : [
            `${withUrl.why} refers to other variables (${readable(withUrl.url!)}): using ${fallback} as the default ` +
              '(set DATABASE_URL, or change it in the recipe)',
          ]

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the recipe's ${VAR} syntax
  const config: Record<string, unknown> = { engine, url: viaEnv ? '${DATABASE_URL}' : url }
  const compose = composeService(repo)
  // Only where docker is installed: a start command that cannot run here is no help.
  if (compose && compose.engine === engine && engine !== 'sqlite' && onPath('docker'))
    config.start = `docker compose up -d ${compose.service}`
  Object.assign(config, frameworkCommands(repo, flavourOf(example)))
  return {
    step: { slot: 'database', type: 'database', config, why: found.map((f) => f.why).join(', ') },
    env: viaEnv ? { DATABASE_URL: `\${DATABASE_URL:-${url}}` } : {},
    notes,
    set: {
      ...(fromEnv?.set ?? {}),
      ...Object.fromEntries(found.filter((f) => f.setVar).map((f) => [f.setVar, url])),
    },
    splitVars:
      (found[0] === envFound && fromEnv?.viaUrl === false) ||
      placeholder !== undefined ||
      (found[0] === orm && orm?.viaEnv === false && usable),
  }
}

function onPath(binary: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && existsSync(path.join(dir, binary)))
}

/** `env-example-relational` → relational: picks `seed:run:relational` over `seed:run:document`. */
function flavourOf(example: EnvExample | undefined): string | undefined {
  return example
    ? /[-._]([a-z]+)$/.exec(example.file)?.[1]?.replace(/^(example|sample|template|dist)$/, '') || undefined
    : undefined
}

/** A URL as a person reads it: `${DB_USER}` rather than `%24%7BDB_USER%7D`. */
function readable(url: string): string {
  try {
    return decodeURIComponent(url)
  } catch {
    return url
  }
}

function fromNodeOrm(repo: RepoProbe, example: EnvExample | undefined): Found | undefined {
  const prisma = repo.read('prisma/schema.prisma')
  const provider = prisma && /datasource\s+\w+\s*\{[^}]*provider\s*=\s*"(\w+)"/.exec(prisma)?.[1]
  if (provider && engineOf(provider))
    return { engine: engineOf(provider)!, why: `prisma/schema.prisma (${provider})`, viaEnv: true }
  const drizzle = repo.first([
    'drizzle.config.ts',
    'drizzle.config.js',
    'drizzle.config.mjs',
    'drizzle.config.json',
  ])
  const dialect = drizzle && /dialect\s*:\s*['"](\w+)['"]/.exec(repo.read(drizzle) ?? '')?.[1]
  if (drizzle && dialect && engineOf(dialect))
    return { engine: engineOf(dialect)!, why: `${drizzle} (${dialect})`, viaEnv: true }
  const knex = findKnexfile(repo)
  if (!knex) return undefined
  const text = repo.read(knex.file) ?? ''
  // `client: env.DB_CLIENT`: the example env's value, else the driver the app depends on.
  const fromVar = knex.clientVar ? example?.vars[knex.clientVar] : undefined
  const client = knex.client ?? fromVar ?? driverDependency(repo)
  const engine = client ? engineOf(client) : undefined
  if (!engine) return undefined
  const found: Found = {
    engine,
    why: `${knex.file} (client ${knex.client ?? (knex.clientVar ? `from ${knex.clientVar}` : client)})`,
    viaEnv: knex.urlVar === 'DATABASE_URL' || (!knex.urlVar && /DATABASE_URL/.test(text)),
  }
  // `connectionString: process.env.DEV_DATABASE_URL`: the example's value when it is a URL;
  // a placeholder (`<LINK TO LOCAL POSTGRESQL INSTANCE>`) gets this machine's URL through `set:`.
  if (knex.urlVar && knex.urlVar !== 'DATABASE_URL') {
    const value = example?.vars[knex.urlVar]
    if (value && /^\w+:\/\//.test(value)) found.url = value
    else if (example && engine !== 'sqlite') found.setVar = knex.urlVar
  }
  if (engine === 'sqlite' && knex.sqliteFile) found.url = `sqlite:${knex.sqliteFile}`
  else if (knex.url) found.url = knex.url
  return found
}

function driverDependency(repo: RepoProbe): string | undefined {
  const deps = repo.nodeDependencies()
  return ['pg', 'mysql2', 'mysql', 'sqlite3', 'better-sqlite3'].find((d) => deps[d] !== undefined)
}

function fromCompose(repo: RepoProbe): Found | undefined {
  const service = composeService(repo)
  if (!service) return undefined
  const { engine, env, port } = service
  const why = `${service.file} (service ${service.service})`
  if (engine === 'sqlite') return undefined
  const user =
    env.POSTGRES_USER ?? (env.MYSQL_USER || (env.MYSQL_ROOT_PASSWORD !== undefined ? 'root' : undefined))
  const password = env.POSTGRES_PASSWORD ?? env.MYSQL_PASSWORD ?? env.MYSQL_ROOT_PASSWORD
  const name = env.POSTGRES_DB ?? env.MYSQL_DATABASE ?? (engine === 'postgres' ? (user ?? 'postgres') : 'app')
  return { engine, url: serverUrl(engine, name, { username: user, password, port }), why }
}

interface ComposeService {
  file: string
  service: string
  engine: Engine
  env: Record<string, string>
  port?: string
}

function composeService(repo: RepoProbe): ComposeService | undefined {
  const file = repo.first(['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'])
  const services = file
    ? (repo.yaml(file) as { services?: Record<string, Record<string, unknown>> })?.services
    : undefined
  for (const [service, spec] of Object.entries(services ?? {})) {
    const engine = typeof spec?.image === 'string' ? engineOf(spec.image.split(':')[0]!) : undefined
    if (!engine || !file) continue
    const rawEnv = spec.environment ?? {}
    const env: Record<string, string> = Array.isArray(rawEnv)
      ? Object.fromEntries(rawEnv.map((e: string) => [e.split('=')[0], e.split('=').slice(1).join('=')]))
      : Object.fromEntries(Object.entries(rawEnv as object).map(([k, v]) => [k, String(v ?? '')]))
    const inner = engine === 'postgres' ? '5432' : '3306'
    const ports = (spec.ports as unknown[] | undefined) ?? []
    const mapped = ports.map(String).find((p) => p.endsWith(`:${inner}`))
    const result: ComposeService = { file, service, engine, env }
    const port = mapped?.split(':').at(-2)
    if (port) result.port = port
    return result
  }
  return undefined
}
