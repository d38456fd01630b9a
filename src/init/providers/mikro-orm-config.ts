// MikroORM's config, read statically: `mikro-orm.config.ts` (or the file package.json's
// `mikro-orm.configPaths` names, or the `.example` a README says to copy), else the first source
// that configures it inline (`MikroOrmModule.forRoot({ dbName, ... })`). Not loaded: the module
// imports the driver, the entities and metadata providers, so loading it would run the app's code
// rather than read a config. A value is a literal, `process.env.X` (the example env's value) or
// `process.env.X || 'default'`; MikroORM's own MIKRO_ORM_* variables in the example env override it.
import { type Engine, engineOf, serverUrl, type UrlField, urlFields } from '../database-env.js'
import type { EnvExample } from '../env-example.js'
import type { RepoProbe } from '../repo.js'

export interface MikroOrmConfig {
  file: string
  engine: Engine | undefined
  /** `mysql://root@localhost:3307/nestjsrealworld`, `sqlite:data/app.db`; undefined when the name is computed. */
  url: string | undefined
  /** `url` with `${KEY}` for the example keys it is built from (DatabaseSource.urlRef). */
  urlRef?: string | undefined
  /** The app reads DATABASE_URL itself (`clientUrl: process.env.DATABASE_URL`). */
  viaEnv: boolean
  /** Each value with where it came from, for the step's `why`. */
  said: string[]
  /** Where the database name is computed, when init could not read it. */
  computedAt: string | undefined
  /** The folder its migrations are in (`migrations.pathTs`/`path`, else MikroORM's default). */
  migrations: string | undefined
}

const drivers = /@mikro-orm\/(mysql|mariadb|postgresql|sqlite|better-sqlite|libsql|mssql)\b/
const exampleSuffixes = ['', '.example', '.dist', '.sample']

export function findMikroOrmConfig(repo: RepoProbe): string | undefined {
  const pkg = repo.json('package.json') as { 'mikro-orm'?: { configPaths?: string[] } } | undefined
  const configured = (pkg?.['mikro-orm']?.configPaths ?? []).map((p) => p.replace(/^\.\//, ''))
  const usual = ['src/', '', 'config/'].flatMap((dir) =>
    ['ts', 'js', 'mjs', 'cjs'].map((ext) => `${dir}mikro-orm.config.${ext}`),
  )
  const named = repo.first(
    [...configured, ...usual].flatMap((f) => exampleSuffixes.map((suffix) => `${f}${suffix}`)),
  )
  if (named) return named
  return repo
    .sourceFiles()
    .find((f) => /\bdbName\s*:/.test(repo.read(f) ?? '') && /@mikro-orm\//.test(repo.read(f) ?? ''))
}

export function readMikroOrmConfig(
  repo: RepoProbe,
  file: string,
  example: EnvExample | undefined,
): MikroOrmConfig {
  const text = repo.read(file) ?? ''
  const vars = example?.vars ?? {}
  const said: string[] = []
  const lineOf = (index: number) => text.slice(0, index).split('\n').length
  /** A key's value: its literal, the example env's value of the variable it reads, or the fallback. */
  const value = (key: string): { value: string | undefined; at: string; key?: string } | undefined => {
    const envName = `MIKRO_ORM_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`
    if (vars[envName]) return { value: vars[envName], at: `${envName} in ${example!.file}`, key: envName }
    const match = new RegExp(`\\b${key}\\s*:\\s*([^,\\n}]+)`).exec(text)
    if (!match) return undefined
    const expr = match[1]!.trim()
    const at = `${file}:${lineOf(match.index)}`
    const literal = /^(['"`])([^'"`$]*)\1$|^(\d+)$/.exec(expr)
    if (literal) return { value: literal[2] ?? literal[3], at }
    const fromVar = /process\.env\.(\w+)/.exec(expr)?.[1]
    const fallback = /(?:\|\||\?\?)\s*(?:(['"`])([^'"`$]*)\1|(\d+))/.exec(expr)
    if (fromVar && vars[fromVar])
      return { value: vars[fromVar], at: `${at} (${fromVar} in ${example!.file})`, key: fromVar }
    if (fallback) return { value: fallback[2] ?? fallback[3], at: `${at} (its default)` }
    return { value: undefined, at: `${at} (${key}: ${expr})` }
  }
  const driver =
    drivers.exec(text)?.[1] ?? /\btype\s*:\s*['"](\w+)['"]/.exec(text)?.[1] ?? driverDependency(repo)
  const engine = driver ? engineOf(driver === 'postgresql' ? 'postgres' : driver) : undefined
  if (driver) said.push(`driver ${driver}`)
  const result: MikroOrmConfig = {
    file,
    engine,
    url: undefined,
    viaEnv: /clientUrl\s*:\s*process\.env\.DATABASE_URL\b/.test(text),
    said,
    computedAt: undefined,
    migrations: migrationsFolder(repo, text, file),
  }
  const name = value('dbName')
  const clientUrl = value('clientUrl')
  // The env key a value was read from, for the URL's `${KEY}` references (urlFields).
  const part = (found: ReturnType<typeof value>) =>
    found?.key && found.value !== undefined ? { key: found.key, value: found.value } : undefined
  if (clientUrl?.value && /^\w+:\/\//.test(clientUrl.value)) {
    result.url = clientUrl.value
    if (clientUrl.key && !clientUrl.value.includes('$')) result.urlRef = `\${${clientUrl.key}}`
    said.push(`clientUrl from ${clientUrl.at}`)
  } else if (name?.value && engine === 'sqlite') {
    result.url = `sqlite:${name.value.replace(/^\.\//, '')}`
    said.push(`dbName ${name.value} from ${name.at}`)
  } else if (name?.value && engine) {
    const db: Record<string, string | undefined> = {}
    const parts: Partial<Record<UrlField, { key: string; value: string }>> = {}
    for (const key of ['host', 'port', 'user', 'password'] as const) {
      const found = value(key)
      db[key] = found?.value
      const from = part(found)
      if (from) parts[key === 'user' ? 'username' : key] = from
      if (found?.value) said.push(`${key} ${key === 'password' ? '***' : found.value} from ${found.at}`)
    }
    said.push(`dbName ${name.value} from ${name.at}`)
    const dbName = part(name)
    if (dbName) parts.database = dbName
    const database = encodeURIComponent(name.value)
    result.url = serverUrl(engine, database, { ...db, username: db.user })
    result.urlRef = serverUrl(engine, database, { ...db, username: db.user }, urlFields(parts))
  } else if (!result.viaEnv) {
    result.computedAt = name?.at ?? `${file} (no dbName)`
  }
  return result
}

function driverDependency(repo: RepoProbe): string | undefined {
  const deps = Object.keys(repo.nodeDependencies())
  return deps.map((d) => drivers.exec(d)?.[1]).find(Boolean)
}

/** `migrations: { pathTs | path }`, else MikroORM's default: ./migrations when it exists, else src/migrations. */
function migrationsFolder(repo: RepoProbe, text: string, file: string): string | undefined {
  const block = /migrations\s*:\s*\{([^}]*)\}/.exec(text)?.[1] ?? ''
  const literal = (key: string) => new RegExp(`\\b${key}\\s*:\\s*['"\`]([^'"\`]+)['"\`]`).exec(block)?.[1]
  const configured = literal('pathTs') ?? literal('path')
  // Relative to the folder MikroORM runs in (the project's root), as its CLI resolves them.
  const dir = configured?.replace(/^\.\//, '').replace(/\/$/, '')
  if (dir) return repo.isDir(dir) ? dir : undefined
  if (repo.isDir('migrations')) return 'migrations'
  return repo.isDir('src') && repo.isDir('src/migrations') && file ? 'src/migrations' : undefined
}
