// knex: the knexfile's client, its SQLite file or connection, and its migrations and seeds folders
// for `knex migrate:latest` / `knex seed:run` — as knex resolves them, by loading a JavaScript
// knexfile with the example env's values (knex/loaded.ts); a TypeScript knexfile, or one that
// cannot be loaded safely, is read statically (a literal client, or the example env's value of
// `client: env.DB_CLIENT`, else the driver the app depends on).
import path from 'node:path'
import { engineOf } from '../database-env.js'
import { type DatabaseSource, defineProvider, type InitContext } from '../provider.js'
import type { RepoProbe } from '../repo.js'
import { findKnexfile } from './knex/knexfile.js'
import { type ResolvedKnexfile, resolveKnexfile } from './knex/loaded.js'
import { withPackageScripts } from './node.js'

export const knex = defineProvider({
  name: 'knex',
  detect: ({ repo }) => findKnexfile(repo) !== undefined,
  contribute: (ctx) => {
    const file = resolveKnexfile(ctx, findKnexfile(ctx.repo)!)
    const database = knexDatabase(ctx, file)
    const tool = {
      migrate: `npx knex migrate:latest${file.flag}`,
      migrations: `${file.migrations}/**`,
      ...(file.migrationsTable ? { migrations_table: file.migrationsTable } : {}),
      ...(file.seeds ? { seed: `npx knex seed:run${file.flag}` } : {}),
    }
    return {
      ...(database ? { database } : {}),
      databaseCommands: withPackageScripts(ctx.repo, tool, ctx.example),
      ...(file.notLoaded ? { notes: [file.notLoaded] } : {}),
    }
  },
})

function knexDatabase({ repo, example }: InitContext, knex: ResolvedKnexfile): DatabaseSource | undefined {
  const text = repo.read(knex.file) ?? ''
  const fromVar = knex.clientVar ? example?.vars[knex.clientVar] : undefined
  const byDefault = defaultDatabase(knex, example?.vars ?? {})
  if (byDefault) return byDefault
  const client = knex.client ?? fromVar ?? driverDependency(repo)
  const engine = client ? engineOf(client) : undefined
  const staticClient = knex.client
    ? 'the knexfile'
    : fromVar
      ? `${knex.clientVar} in ${example?.file}`
      : 'the driver the app depends on'
  if (!engine) return undefined
  const viaEnv = knex.urlVar === 'DATABASE_URL' || (!knex.urlVar && /DATABASE_URL/.test(text))
  const found: DatabaseSource = {
    engine,
    why: knex.loaded
      ? `${knex.file}, ${knex.fromSettings ? 'read' : 'loaded'} (${[...knex.loaded, ...(knex.loaded.some((l) => l.startsWith('client ')) ? [] : [`client ${client} read statically: ${staticClient}`])].join('; ')})`
      : `${knex.file} (client ${knex.client ?? (knex.clientVar ? `from ${knex.clientVar}` : client)})`,
    rank: 4,
    viaEnv,
    ...(viaEnv ? {} : { splitVars: 'with-url' as const }),
  }
  // `connectionString: process.env.DEV_DATABASE_URL`: the example's value when it is a URL;
  // a placeholder (`<LINK TO LOCAL POSTGRESQL INSTANCE>`) gets this machine's URL through `set:`.
  if (knex.urlVar && knex.urlVar !== 'DATABASE_URL') {
    const value = example?.vars[knex.urlVar]
    if (value && /^\w+:\/\//.test(value)) Object.assign(found, { url: value, urlRef: `\${${knex.urlVar}}` })
    else if (example && engine !== 'sqlite') found.setVar = knex.urlVar
  }
  // A SQLite file the knexfile names beats split env vars that only say "sqlite"; so does the
  // connection of a loaded knexfile: it is the one knex's migrate uses.
  if (engine === 'sqlite' && knex.sqliteFile) {
    found.url = `sqlite:${knex.sqliteFile}`
    found.rank = 0
  } else if (knex.url) {
    found.url = knex.url
    if (knex.urlRef) found.urlRef = knex.urlRef
    if (knex.loaded) found.rank = 0
  }
  return found
}

function driverDependency(repo: RepoProbe): string | undefined {
  const deps = repo.nodeDependencies()
  return ['pg', 'mysql2', 'mysql', 'sqlite3', 'better-sqlite3'].find((d) => deps[d] !== undefined)
}

/**
 * A knexfile that picks its client from a URL's scheme in code, with a default URL
 * (`process.env.DATABASE_URL || "sqlite://./database/kener.sqlite.db"`, then `if (type === "sqlite")
 * …`): with no value in the example env, a fresh clone uses that default, so the database is the
 * default's, and nothing is exported over it — the app accepts only the schemes it tests
 * (`postgresql://`, not the `postgres://` init would write) and says "Invalid database type".
 */
function defaultDatabase(knex: ResolvedKnexfile, vars: Record<string, string>): DatabaseSource | undefined {
  const fallback = knex.defaultUrl
  if (!fallback || knex.client || knex.url || knex.sqliteFile || vars[fallback.variable]) return undefined
  const [scheme, rest = ''] = fallback.url.split('://')
  const engine = engineOf(scheme!)
  if (!engine) return undefined
  const why = `${knex.file} (\`${fallback.variable}\` unset: its default ${fallback.url}, whose scheme picks the client)`
  if (engine !== 'sqlite')
    return { engine, why, rank: 4, url: fallback.url, viaEnv: false, splitVars: 'with-url' }
  const dir = path.posix.dirname(knex.file)
  const file = path.posix.normalize(path.posix.join(dir, rest)).replace(/^\.\//, '')
  if (file.startsWith('..') || rest === '' || rest.includes(':memory:')) return undefined
  return { engine, why, rank: 0, url: `sqlite:${file}`, viaEnv: false, splitVars: 'with-url' }
}
