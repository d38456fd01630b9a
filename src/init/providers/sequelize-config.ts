// What Sequelize's CLI reads: .sequelizerc (loaded: `path.resolve('db', 'migrations')` means what
// it computes), then the config it names (config/config.json by default; a config.js is loaded
// with the example env's values, as the CLI would with `require('dotenv').config()`), its
// `development` block (else the block the app's own migrate script names): dialect, SQLite
// storage, host/user/database, or `use_env_variable`.
import { TakenValues, nonEmpty as text } from '../config-values.js'
import { engineOf } from '../database-env.js'
import { type LoadedConfig, loadConfig, repoPath } from '../load-config.js'
import type { DatabaseSource, InitContext } from '../provider.js'

export interface SequelizeSetup {
  migrations: string | undefined
  seeders: string | undefined
  database: DatabaseSource | undefined
  notes: string[]
}

type Block = Record<string, unknown>

export function sequelizeSetup({ repo, example }: InitContext): SequelizeSetup {
  const notes: string[] = []
  const rc = repo.has('.sequelizerc') ? loadConfig(repo, '.sequelizerc', example) : undefined
  if (rc && !rc.ok) notes.push(rc.reason)
  const paths = (rc?.ok ? rc.config.value : undefined) as Block | undefined
  const rcPath = (key: string) => {
    const value = text(paths?.[key])
    return value ? repoPath(repo.root, '.', value) : undefined
  }
  const file = rcPath('config') ?? repo.first(['config/config.js', 'config/config.json'])
  const setup: SequelizeSetup = {
    migrations: rcPath('migrations-path'),
    seeders: rcPath('seeders-path'),
    database: undefined,
    notes,
  }
  if (!file || !repo.has(file)) return setup
  const loaded = loadConfig(repo, file, example)
  if (!loaded.ok) {
    notes.push(loaded.reason)
    return setup
  }
  const block = blockOf(loaded.config.value as Block | undefined, repo.nodeScripts())
  if (!block) {
    notes.push(
      `${loaded.config.file}: no development block, and no --env in the app's own sequelize-cli db:migrate script: the database is not determined`,
    )
    return setup
  }
  setup.database = configDatabase(repo.root, loaded.config, example?.vars ?? {}, block)
  return setup
}

/**
 * The block the app's CLI runs against: `development` (the CLI's default), else the `--env` the
 * app's own migrate script passes (serpbear: `sequelize-cli db:migrate --env production`, its
 * only block), else the config's only block.
 */
function blockOf(
  whole: Block | undefined,
  scripts: Record<string, string>,
): { name: string; why: string } | undefined {
  const isBlock = (name: string) => typeof whole?.[name] === 'object' && whole?.[name] !== null
  if (isBlock('development')) return { name: 'development', why: 'development' }
  for (const [script, body] of Object.entries(scripts)) {
    const env = /\bsequelize(?:-cli)?\s+db:migrate\b.*--env[= ](\w+)/.exec(body)?.[1]
    if (env && isBlock(env)) return { name: env, why: `${env}, the --env of scripts.${script}` }
  }
  const names = Object.keys(whole ?? {}).filter(isBlock)
  return names.length === 1 ? { name: names[0]!, why: `${names[0]}, its only block` } : undefined
}

function configDatabase(
  root: string,
  config: LoadedConfig,
  vars: Record<string, string>,
  block: { name: string; why: string },
): DatabaseSource | undefined {
  const dev = (config.value as Block)[block.name] as Block
  const taken = new TakenValues(config)
  const note = (what: string, value: unknown) => taken.note(what, value)
  const envVar = text(dev.use_env_variable)
  const url = envVar ? vars[envVar] : text(dev.url)
  const dialect = text(dev.dialect) ?? (url ? url.split(':')[0] : undefined)
  const engine = dialect ? engineOf(dialect) : undefined
  if (!engine) return undefined
  note('dialect', dialect)
  const source: DatabaseSource = { engine, why: '', rank: 0 }
  if (engine === 'sqlite') {
    const storage = text(dev.storage)
    // Sequelize opens a relative storage path from the CLI's folder, the repository.
    const file = storage && storage !== ':memory:' ? repoPath(root, '.', storage) : undefined
    if (file) {
      source.url = `sqlite:${file}`
      note('storage', file)
    }
  } else if (envVar) {
    // The app reads that variable itself: the recipe sets it (DATABASE_URL) or the new .env gets it.
    const usable = url !== undefined && /^\w+:\/\//.test(url)
    if (usable) source.url = url
    // A URL in the example (not built from other keys) is one a reference to that key reads.
    if (usable && !url.includes('$')) source.urlRef = `\${${envVar}}`
    if (envVar === 'DATABASE_URL') source.viaEnv = true
    else if (!usable) source.setVar = envVar
    taken.said.push(`use_env_variable ${envVar}`)
  } else if (url) {
    source.url = url
    source.urlRef = taken.refOf(url)
    note('url', url)
  } else if (text(dev.database)) {
    Object.assign(source, taken.serverUrl(engine, dev, 'username'))
  }
  // Only `use_env_variable: 'DATABASE_URL'` reads DATABASE_URL: a template's would be read by nothing.
  if (!source.viaEnv) source.splitVars = 'always'
  source.why = `${config.file} (${block.why}: ${taken.said.join('; ')})`
  return source
}
