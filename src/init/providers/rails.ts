// Rails: the database config/database.yml configures for development (ERB defaults read with the
// example env's values; Rails 7.1+ multi-database `primary`), `bin/rails db:migrate` / `db:seed`,
// and `bin/rails server` with Rails 7.1's `/up` health route when the routes have it.
import { engineOf, serverUrl } from '../database-env.js'
import { type DatabaseSource, defineProvider, type InitContext } from '../provider.js'

export const rails = defineProvider({
  name: 'rails',
  detect: ({ repo }) => repo.has('config/application.rb') || repo.has('bin/rails'),
  contribute: (ctx) => {
    const database = railsDatabase(ctx)
    const routes = ctx.repo.read('config/routes.rb') ?? ''
    const health = routes.includes('rails/health#show') ? 'up' : ''
    return {
      ...(database ? { database } : {}),
      databaseCommands: {
        migrate: 'bin/rails db:migrate',
        migrations: 'db/migrate/**',
        seed: 'bin/rails db:seed',
      },
      // bin/rails alone (an engine's dummy app) is no server to start.
      ...(ctx.repo.has('config/application.rb')
        ? {
            devServer: [
              {
                slot: 'restart',
                type: 'restart',
                config: {
                  start: 'bin/rails server -b 127.0.0.1 -p 3000',
                  health: `http://127.0.0.1:3000/${health}`,
                },
                why: 'Rails (bin/rails server, port 3000)',
              },
            ],
          }
        : {}),
    }
  },
})

function railsDatabase({ repo, example }: InitContext): DatabaseSource | undefined {
  const config = repo.yaml('config/database.yml', example?.vars) as
    | Record<string, Record<string, unknown>>
    | undefined
  const dev = config?.development
  if (!dev || typeof dev !== 'object') return undefined
  // Rails 7.1+ nests several databases: take the primary one.
  const db = (typeof dev.primary === 'object' ? dev.primary : dev) as Record<string, unknown>
  const engine = engineOf(String(db.adapter ?? ''))
  if (!engine) return undefined
  const why = `config/database.yml (${db.adapter})`
  const rank = 2
  if (typeof db.url === 'string' && db.url) return { engine, url: db.url, why, rank }
  if (typeof db.database !== 'string') return { engine, why, rank }
  if (engine === 'sqlite') return { engine, url: `sqlite:${db.database}`, why, rank }
  return { engine, url: serverUrl(engine, db.database, db), why, rank }
}
