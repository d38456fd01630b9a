// TypeORM's ormconfig (0.2's config file, still common): ormconfig.js loaded with the example env's
// values, ormconfig.json parsed — or its example when the real one is missing (config-examples.ts
// copies it before anything runs). A TypeScript data source (`new DataSource({...})` in
// data-source.ts) would need the project's compiler: it is left to the static readers (the
// example env's TYPEORM_*/DATABASE_* keys, db-env-keys.ts).
import { TakenValues, nonEmpty as text } from '../config-values.js'
import { engineOf } from '../database-env.js'
import { loadConfig, repoPath } from '../load-config.js'
import type { DatabaseSource, InitContext } from '../provider.js'

export interface OrmConfig {
  database: DatabaseSource | undefined
  migrations: string | undefined
  migrationsTable: string | undefined
  notes: string[]
}

type Block = Record<string, unknown>
const names = ['ormconfig.js', 'ormconfig.cjs', 'ormconfig.json']

export function ormConfig({ repo, example }: InitContext): OrmConfig | undefined {
  const file = repo.first([...names, ...['example', 'sample', 'dist'].map((s) => `ormconfig.json.${s}`)])
  if (!file) return undefined
  const loaded = loadConfig(repo, file, example)
  if (!loaded.ok)
    return { database: undefined, migrations: undefined, migrationsTable: undefined, notes: [loaded.reason] }
  const config = loaded.config
  // Several connections: the one named `default`, else the first.
  const all = Array.isArray(config.value) ? (config.value as Block[]) : [config.value as Block]
  const options = all.find((c) => c?.name === 'default') ?? all[0]
  const type = text(options?.type)
  const engine = type ? engineOf(type) : undefined
  const result: OrmConfig = {
    database: undefined,
    migrations: undefined,
    migrationsTable: undefined,
    notes: [],
  }
  if (!options || !engine) return result
  const taken = new TakenValues(config)
  taken.note('type', type)
  const note = (what: string, value: unknown) => taken.note(what, value)
  const source: DatabaseSource = { engine, why: '', rank: 0, splitVars: 'always' }
  const url = text(options.url)
  if (engine === 'sqlite') {
    const db = text(options.database)
    const path = db && db !== ':memory:' ? repoPath(repo.root, '.', db) : undefined
    if (path) {
      source.url = `sqlite:${path}`
      note('database', path)
    }
  } else if (url) {
    source.url = url
    source.urlRef = taken.refOf(url)
    note('url', url)
  } else if (text(options.database)) {
    Object.assign(source, taken.serverUrl(engine, options, 'username'))
  }
  source.why = `${file} (${taken.said.join('; ')})`
  result.database = source
  // `cli.migrationsDir`, else the folder of the first `migrations` glob, when it is source, not a build.
  const glob = Array.isArray(options.migrations) ? text(options.migrations[0]) : undefined
  const dir =
    text((options.cli as Block | undefined)?.migrationsDir) ?? glob?.split(/[*{]/)[0]?.replace(/\/$/, '')
  const inRepo = dir ? repoPath(repo.root, '.', dir) : undefined
  if (inRepo && !/^(dist|build|out)\//.test(inRepo) && repo.isDir(inRepo)) result.migrations = inRepo
  result.migrationsTable = text(options.migrationsTableName)
  return result
}
