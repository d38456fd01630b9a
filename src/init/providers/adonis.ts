// AdonisJS with Lucid: its `ace` CLI migrates (`node ace migration:run`) the folder Lucid reads
// (database/migrations) and seeds from database/seeders; the engine from config/database.ts's
// client (read statically: it is TypeScript) or DB_CONNECTION in the example env.
import { engineOf } from '../database-env.js'
import { type DatabaseSource, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'
import { bootFilesSteps } from './adonis-boot.js'
import { withPackageScripts } from './node.js'

const configFile = (repo: RepoProbe) => repo.first(['config/database.ts', 'config/database.js'])

export const adonis = defineProvider({
  name: 'adonis',
  detect: ({ repo }) => repo.nodeDependencies()['@adonisjs/lucid'] !== undefined && repo.has('ace.js'),
  contribute: ({ repo, example }) => {
    const file = configFile(repo)
    const text = file ? (repo.read(file) ?? '') : ''
    const fromEnv = example?.vars.DB_CONNECTION
    const client = /client:\s*['"]([\w-]+)['"]/.exec(text)?.[1] ?? fromEnv
    const engine = client ? engineOf(client) : undefined
    // `filename: app.tmpPath('db.sqlite3')`: Adonis keeps SQLite under tmp/.
    const sqlite = /tmpPath\(\s*['"]([^'"]+)['"]\s*\)/.exec(text)?.[1]
    let database: DatabaseSource | undefined
    if (engine) {
      const why = `${file ?? 'DB_CONNECTION'} (client ${client})`
      database = { engine, why, rank: 4, splitVars: 'with-url' }
      if (engine === 'sqlite' && sqlite) Object.assign(database, { url: `sqlite:tmp/${sqlite}`, rank: 0 })
    }
    const seeds = repo.list('database/seeders').some((f) => /\.[jt]s$/.test(f))
    const tool = {
      migrate: 'node ace migration:run',
      migrations: 'database/migrations/**',
      ...(seeds ? { seed: 'node ace db:seed' } : {}),
    }
    const steps = bootFilesSteps(repo)
    return {
      ...(steps.length > 0 ? { steps } : {}),
      ...(database ? { database } : {}),
      databaseCommands: withPackageScripts(repo, tool, example),
    }
  },
})
