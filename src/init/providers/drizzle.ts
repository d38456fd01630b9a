// Drizzle: the engine from drizzle.config's `dialect`, `drizzle-kit migrate` on its `out` folder.
// The config is the root's drizzle.config.*, else the one the app's own drizzle-kit scripts name
// (`drizzle-kit migrate --config=infra/database/drizzle.config.js`). Its `dbCredentials.url`, when
// it reads a variable (`process.env.DATABASE_URL`, `ENV_CONFIG.DATABASE_URL`), takes that
// variable's value from the env files the app loads (configs/.env too): the database the app uses.
import { engineOf } from '../database-env.js'
import { envFiles } from '../port-in-code.js'
import { type DatabaseSource, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'
import { withPackageScripts } from './node.js'

function configFile(repo: RepoProbe): string | undefined {
  const root = repo.first([
    'drizzle.config.ts',
    'drizzle.config.js',
    'drizzle.config.mjs',
    'drizzle.config.json',
  ])
  if (root) return root
  for (const body of Object.values(repo.nodeScripts())) {
    const named = /\bdrizzle-kit\b.*--config[= ]["']?\.?\/?([\w./-]+\.(?:[cm]?[jt]s|json))/.exec(body)?.[1]
    if (named && repo.has(named)) return named
  }
  return undefined
}

export const drizzle = defineProvider({
  name: 'drizzle',
  detect: ({ repo }) => configFile(repo) !== undefined,
  contribute: ({ repo, example }) => {
    const file = configFile(repo)!
    const config = repo.read(file) ?? ''
    const dialect = /dialect\s*:\s*['"](\w+)['"]/.exec(config)?.[1]
    const engine = dialect ? engineOf(dialect) : undefined
    const out = /\bout\s*:\s*['"]\.?\/?([\w/-]+)['"]/.exec(config)?.[1] ?? 'drizzle'
    // drizzle-kit finds only a root config by itself.
    const flag = file.includes('/') ? ` --config=${file}` : ''
    const tool = { migrate: `npx drizzle-kit migrate${flag}`, migrations: `${out}/**` }
    let database: DatabaseSource | undefined
    if (engine) {
      database = { engine, why: `${file} (${dialect})`, viaEnv: true, rank: 4 }
      const variable = /\burl\s*:\s*(?:process\.env|\w+)\.([A-Z][A-Z0-9_]*)\b/.exec(config)?.[1]
      const found = variable
        ? envFiles(repo, example).find((f) => /^\w+:\/\//.test(f.vars[variable] ?? ''))
        : undefined
      if (variable && found) {
        database.url = found.vars[variable]!
        database.why = `${file} (${dialect}; url ${variable} from ${found.file})`
        database.rank = 1
        if (variable !== 'DATABASE_URL') {
          database.viaEnv = false
          database.setVar = variable
        }
      }
    }
    return {
      ...(database ? { database } : {}),
      databaseCommands: withPackageScripts(repo, tool, example),
    }
  },
})
