// The knexfile as knex itself resolves it: loaded (load-config.ts) with the example env's values,
// in the knexfile's folder as knex's CLI runs, its `development` block taken. Each value it gives
// replaces the static reading's guess and says where it came from; what it cannot give (a value
// from a package a fresh clone lacks, a TypeScript knexfile, a refused load) stays as read statically.
import { TakenValues, nonEmpty as text } from '../../config-values.js'
import { engineOf } from '../../database-env.js'
import { loadConfig, repoPath } from '../../load-config.js'
import type { InitContext } from '../../provider.js'
import { knexConfigFromSettings } from './from-settings.js'
import { hasSeedFiles, type Knexfile } from './knexfile.js'

export interface ResolvedKnexfile extends Knexfile {
  /** Why the knexfile was not loaded, for init's notes. */
  notLoaded?: string
  /** Read from node-config's settings the knexfile hands over, not loaded. */
  fromSettings?: boolean
  /** `url` with `${KEY}` for the example keys it is built from (DatabaseSource.urlRef). */
  urlRef?: string | undefined
}

type Block = Record<string, unknown>
const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Block) : undefined)

export function resolveKnexfile({ repo, example }: InitContext, knex: Knexfile): ResolvedKnexfile {
  const dir = knex.file.includes('/') ? knex.file.slice(0, knex.file.lastIndexOf('/')) : '.'
  const result = loadConfig(repo, knex.file, example, { cwd: dir })
  const settings = result.ok ? undefined : knexConfigFromSettings(repo, example, knex.file)
  if (!result.ok && !settings) return { ...knex, notLoaded: result.reason }
  const config = result.ok ? result.config : settings!.config
  const whole = obj(config.value)
  // knex's CLI: the block for NODE_ENV (development), else the whole export when it is one config.
  const block = obj(whole?.development) ?? (whole && 'client' in whole ? whole : undefined)
  if (!block) return { ...knex, notLoaded: `${knex.file}: loaded, but it has no development block` }
  const taken = new TakenValues(config)
  if (settings) taken.said.push(settings.said)
  const resolved: ResolvedKnexfile = {
    ...knex,
    loaded: taken.said,
    ...(settings ? { fromSettings: true } : {}),
  }
  const note = (what: string, value: unknown) => taken.note(what, value)
  const inRepo = (p: string) => repoPath(repo.root, dir, p)

  const client = text(block.client)
  if (client) {
    resolved.client = client
    note('client', client)
  }
  const connection = block.connection
  const conn = obj(connection)
  const engine = engineOf(resolved.client ?? '')
  const filename = text(conn?.filename) ?? (engine === 'sqlite' ? text(connection) : undefined)
  const url = text(connection) ?? text(conn?.connectionString)
  if (engine === 'sqlite' && filename && !filename.includes(':memory:')) {
    const file = inRepo(filename)
    if (file) {
      resolved.sqliteFile = file
      note('filename', filename)
    }
  } else if (engine !== 'sqlite' && url && /^\w+:\/\//.test(url)) {
    resolved.url = url
    resolved.urlRef = taken.refOf(url)
    note('connection', url)
  } else if (engine && engine !== 'sqlite' && text(conn?.database)) {
    Object.assign(resolved, taken.serverUrl(engine, conn!, 'user'))
  }
  const migrations = obj(block.migrations)
  const directory = firstPath(migrations?.directory)
  const migrationsDir = directory ? inRepo(directory) : undefined
  if (migrationsDir) {
    resolved.migrations = migrationsDir
    note('migrations', migrationsDir)
  }
  const table = text(migrations?.tableName)
  if (table) resolved.migrationsTable = table === 'knex_migrations' ? undefined : table
  const seeds = firstPath(obj(block.seeds)?.directory)
  const seedsDir = seeds ? inRepo(seeds) : undefined
  if (seedsDir) resolved.seeds = hasSeedFiles(repo, seedsDir) ? seedsDir : undefined
  return resolved
}

/** knex takes a folder or a list of folders: the first is where new migrations go. */
function firstPath(value: unknown): string | undefined {
  return text(Array.isArray(value) ? value[0] : value)
}
