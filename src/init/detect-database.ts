// The database a repository uses, from the files that configure it, and the framework's
// own migrate/seed commands. The URL comes from the most explicit source found.
import path from 'node:path'
import type { DetectedStep } from './detect.js'
import { frameworkCommands } from './framework-commands.js'
import type { RepoProbe } from './repo.js'

type Engine = 'postgres' | 'mysql' | 'sqlite'

interface Found {
  engine: Engine
  /** A literal URL, or undefined when only the engine is known. */
  url?: string
  why: string
  /** The app reads DATABASE_URL itself, so the recipe sets it for every step. */
  viaEnv?: boolean
}

export interface DetectedDatabase {
  step: DetectedStep
  env: Record<string, string>
  notes: string[]
}

const schemes: Record<string, Engine> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  file: 'sqlite',
}
const engineWords: [RegExp, Engine][] = [
  [/postgres|\bpg\b|psycopg/i, 'postgres'],
  [/mysql|mariadb|trilogy/i, 'mysql'],
  [/sqlite/i, 'sqlite'],
]
const engineOf = (text: string): Engine | undefined => engineWords.find(([re]) => re.test(text))?.[1]

export function detectDatabase(repo: RepoProbe): DetectedDatabase | undefined {
  const sources = [
    fromEnvExample(repo),
    fromRails(repo),
    fromDjango(repo),
    fromNodeOrm(repo),
    fromCompose(repo),
  ]
  const found = sources.filter((s): s is Found => s !== undefined)
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
  const viaEnv = found.some((f) => f.viaEnv) || !usable
  const notes = !withUrl
    ? [`database URL not found: using ${fallback} (change DATABASE_URL in the recipe)`]
    : usable
      ? []
      : [
          `${withUrl.why} refers to other variables (${withUrl.url}): using ${fallback} as the default ` +
            '(set DATABASE_URL, or change it in the recipe)',
        ]

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the recipe's ${VAR} syntax
  const config: Record<string, unknown> = { engine, url: viaEnv ? '${DATABASE_URL}' : url }
  const compose = composeService(repo)
  if (compose && compose.engine === engine && engine !== 'sqlite')
    config.start = `docker compose up -d ${compose.service}`
  Object.assign(config, frameworkCommands(repo))
  return {
    step: { slot: 'database', type: 'database', config, why: found.map((f) => f.why).join(', ') },
    env: viaEnv ? { DATABASE_URL: `\${DATABASE_URL:-${url}}` } : {},
    notes,
  }
}

function fromEnvExample(repo: RepoProbe): Found | undefined {
  const file = repo.first(['.env.example', '.env.sample', '.env.template', '.env.dist'])
  const url = file ? repo.dotenv(file).DATABASE_URL : undefined
  const engine = url ? schemes[url.split(':')[0]!.toLowerCase()] : undefined
  return url && engine ? { engine, url, why: `DATABASE_URL in ${file}`, viaEnv: true } : undefined
}

function fromRails(repo: RepoProbe): Found | undefined {
  const config = repo.yaml('config/database.yml') as Record<string, Record<string, unknown>> | undefined
  const dev = config?.development
  if (!dev || typeof dev !== 'object') return undefined
  // Rails 7.1+ nests several databases: take the primary one.
  const db = (typeof dev.primary === 'object' ? dev.primary : dev) as Record<string, unknown>
  const engine = engineOf(String(db.adapter ?? ''))
  if (!engine) return undefined
  const why = `config/database.yml (${db.adapter})`
  if (typeof db.url === 'string' && db.url) return { engine, url: db.url, why }
  if (typeof db.database !== 'string') return { engine, why }
  if (engine === 'sqlite') return { engine, url: `sqlite:${db.database}`, why }
  return { engine, url: serverUrl(engine, db.database, db), why }
}

function fromDjango(repo: RepoProbe): Found | undefined {
  if (!repo.has('manage.py')) return undefined
  const candidates = repo
    .list()
    .flatMap((dir) => [
      `${dir}/settings.py`,
      ...repo.list(`${dir}/settings`).map((f) => `${dir}/settings/${f}`),
    ])
  for (const file of candidates) {
    const text = repo.read(file)
    if (!text?.includes('DATABASES')) continue
    const dbUrl = /dj_database_url\.\w+\([^)]*default\s*=\s*['"]([^'"]+)['"]/.exec(text)?.[1]
    if (dbUrl)
      return { engine: schemes[dbUrl.split(':')[0]!] ?? 'postgres', url: dbUrl, why: file, viaEnv: true }
    const backend = /['"]ENGINE['"]\s*:\s*['"]django\.db\.backends\.(\w+)['"]/.exec(text)?.[1]
    const engine = backend ? engineOf(backend) : undefined
    if (!engine) continue
    // A value is a literal, or os.environ.get("X", "default"): take the default.
    const setting = (key: string) =>
      new RegExp(`['"]${key}['"]\\s*:\\s*(?:[\\w.]+\\(\\s*['"][^'"]*['"]\\s*,\\s*)?['"]([^'"]*)['"]`).exec(
        text,
      )?.[1]
    const name = setting('NAME')
    const why = `${file} (DATABASES ${backend})`
    if (!name) return { engine, why }
    if (engine === 'sqlite') return { engine, url: `sqlite:${name.replace(/^.*BASE_DIR\W*/, '')}`, why }
    const db = {
      username: setting('USER'),
      password: setting('PASSWORD'),
      host: setting('HOST'),
      port: setting('PORT'),
    }
    return { engine, url: serverUrl(engine, name, db), why }
  }
  return undefined
}

function fromNodeOrm(repo: RepoProbe): Found | undefined {
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
  const knexfile = repo.first(['knexfile.js', 'knexfile.ts', 'knexfile.cjs', 'knexfile.mjs'])
  const knex = knexfile ? (repo.read(knexfile) ?? '') : ''
  const client = /client\s*:\s*['"]([\w-]+)['"]/.exec(knex)?.[1]
  if (!knexfile || !client || !engineOf(client)) return undefined
  const literal =
    /connection\s*:\s*(?:process\.env\.\w+\s*(?:\|\||\?\?)\s*)?['"]((?:postgres|mysql)[^'"]*)['"]/.exec(
      knex,
    )?.[1]
  const found: Found = { engine: engineOf(client)!, why: `${knexfile} (client ${client})`, viaEnv: true }
  if (literal) found.url = literal
  return found
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

function serverUrl(engine: Engine, database: string, db: Record<string, unknown>): string {
  const user = typeof db.username === 'string' && db.username ? encodeURIComponent(db.username) : ''
  const password = typeof db.password === 'string' && db.password ? `:${encodeURIComponent(db.password)}` : ''
  const host = typeof db.host === 'string' && db.host && !db.host.startsWith('/') ? db.host : 'localhost'
  const port = db.port ? String(db.port) : engine === 'postgres' ? '5432' : '3306'
  return `${engine}://${user ? `${user}${password}@` : ''}${host}:${port}/${database}`
}
