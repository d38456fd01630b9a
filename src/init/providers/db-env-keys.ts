// An app that connects with separate keys of its env (`host: fastify.config.MYSQL_HOST`,
// `user: process.env.DB_USER`, ...), in code init does not load (TypeScript, or the app itself):
// the connection object in its source names the keys it reads, the example env gives their
// values, the driver in the same file the engine. Static reading, so it ranks after a loaded
// config (knex/loaded.ts) and a config file; it beats a compose file, which is not what the app reads.
import { type Engine, engineOf, serverUrl, urlFields } from '../database-env.js'
import type { EnvExample } from '../env-example.js'
import { type DatabaseSource, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

export const dbEnvKeys = defineProvider({
  name: 'db-env-keys',
  detect: ({ repo, example }) => example !== undefined && findConnection(repo, example) !== undefined,
  contribute: ({ repo, example }) => {
    const found = findConnection(repo, example!)
    return found ? { database: found } : {}
  },
})

const fieldNames = {
  host: ['host', 'hostname'],
  port: ['port'],
  user: ['user', 'username'],
  password: ['password'],
  database: ['database', 'db', 'dbName'],
} as const
const sourceDirs = ['src', 'lib', 'server', 'app', 'config', 'db', 'database', 'scripts']
// The driver beside the keys: `client: 'mysql2'`, `dialect: 'postgres'`, or the module imported.
const drivers = [
  /\b(?:client|driver|dialect|type)\s*:\s*['"]([\w-]+)['"]/,
  /(?:from\s+|require\(\s*)['"](mysql2|mysql|pg|postgres|mariadb)\b/,
]

export function findConnection(repo: RepoProbe, example: EnvExample): DatabaseSource | undefined {
  for (const file of sourceFiles(repo)) {
    const text = repo.read(file) ?? ''
    const fields: Partial<Record<keyof typeof fieldNames, { key: string; line: number }>> = {}
    for (const [field, names] of Object.entries(fieldNames) as [
      keyof typeof fieldNames,
      readonly string[],
    ][]) {
      const re = new RegExp(`\\b(?:${names.join('|')})\\s*:\\s*([^,\\n}]+)`, 'g')
      for (const match of text.matchAll(re)) {
        // The env key the expression reads: `process.env.X`, `config.X`, `env.get('X')`, `Number(env.X)`.
        const key = [...match[1]!.matchAll(/\b([A-Z][A-Z0-9_]{2,})\b/g)]
          .map((m) => m[1]!)
          .find((k) => example.vars[k] !== undefined)
        if (!key) continue
        fields[field] = { key, line: text.slice(0, match.index).split('\n').length }
        break
      }
    }
    if (!fields.host || !fields.database) continue
    const driver = drivers.map((re) => re.exec(text)?.[1]).find((d) => d && engineOf(d))
    const engine: Engine | undefined = driver ? engineOf(driver) : undefined
    if (!engine || engine === 'sqlite') continue
    const value = (f: keyof typeof fieldNames) => (fields[f] ? example.vars[fields[f]!.key] : undefined)
    const name = value('database')
    if (!name) continue
    const lines = Object.values(fields).map((f) => f.line)
    const keys = Object.values(fields).map((f) => f.key)
    const part = (f: keyof typeof fieldNames) => fields[f] && { key: fields[f]!.key, value: value(f)! }
    const db = {
      host: value('host'),
      port: value('port'),
      username: value('user'),
      password: value('password'),
    }
    const refs = urlFields({
      host: part('host'),
      port: part('port'),
      username: part('user'),
      password: part('password'),
      database: part('database'),
    })
    return {
      engine,
      url: serverUrl(engine, encodeURIComponent(name), db),
      urlRef: serverUrl(engine, encodeURIComponent(name), db, refs),
      why: `${file}:${Math.min(...lines)}-${Math.max(...lines)} reads ${keys.join(', ')} (values from ${example.file})`,
      rank: 3,
      splitVars: 'always',
    }
  }
  return undefined
}

/** JavaScript and TypeScript sources where an app connects: the usual folders, 4 levels deep, at most 400 files. */
function sourceFiles(repo: RepoProbe): string[] {
  const files: string[] = repo.list().filter((f) => /\.(c|m)?[jt]s$/.test(f) && !/\.(d|test|spec)\./.test(f))
  const walk = (dir: string, depth: number) => {
    for (const name of repo.list(dir)) {
      if (files.length >= 400) return
      const file = `${dir}/${name}`
      if (name === 'node_modules' || name.startsWith('.')) continue
      if (repo.isDir(file)) {
        if (depth < 4) walk(file, depth + 1)
      } else if (/\.(c|m)?[jt]s$/.test(name) && !/\.(d|test|spec)\./.test(name)) files.push(file)
    }
  }
  for (const dir of sourceDirs) if (repo.isDir(dir)) walk(dir, 1)
  return files
}
