// Rails: the database config/database.yml configures for development (ERB defaults read with the
// example env's values; Rails 7.1+ multi-database `primary`), `bin/rails db:migrate` / `db:seed`,
// and `bin/rails server` with Rails 7.1's `/up` health route when the routes have it.
import { engineOf, serverUrl } from '../database-env.js'
import { healthUrl, portText, type ServerPort } from '../health-route.js'
import { type DatabaseSource, type DetectedStep, defineProvider, type InitContext } from '../provider.js'
import type { RepoProbe } from '../repo.js'
import { configOrExample } from './config-examples.js'

export const rails = defineProvider({
  name: 'rails',
  detect: ({ repo }) => repo.has('config/application.rb') || repo.has('bin/rails'),
  contribute: (ctx) => {
    const { repo } = ctx
    const database = railsDatabase(ctx)
    // A new database gets db/schema.rb (or structure.sql) loaded whole, as db:prepare does,
    // instead of every migration replayed; an existing one is only migrated.
    const schema = repo.first(['db/schema.rb', 'db/structure.sql'])
    return {
      ...(database ? { database } : {}),
      databaseCommands: {
        ...(schema ? { load: 'bin/rails db:schema:load' } : {}),
        migrate: 'bin/rails db:migrate',
        migrations: 'db/migrate/**',
        seed: 'bin/rails db:seed',
      },
      // bin/rails alone (an engine's dummy app) is no server to start.
      ...(repo.has('config/application.rb') ? { devServer: [devServer(repo)] } : {}),
    }
  },
})

/**
 * bin/dev when the app has one with a Procfile.dev (jsbundling/cssbundling watchers build the
 * assets the pages need; bin/rails server alone would serve pages without them), else
 * bin/rails server; on Rails 7.1's /up when the routes have it.
 */
function devServer(repo: RepoProbe): DetectedStep {
  const routes = repo.read('config/routes.rb') ?? ''
  const health = routes.includes('rails/health#show') ? 'up' : ''
  const procfile = repo.read('Procfile.dev')
  const web = procfile !== undefined ? /^web:\s*(.+)$/m.exec(procfile)?.[1] : undefined
  if (repo.has('bin/dev') && web) {
    // `-p 3000` in Procfile.dev fixes it; else Rails reads PORT, which bin/dev defaults.
    const fixed = /(?:-p|--port)[= ]?(\d{2,5})\b/.exec(web)?.[1]
    const port: ServerPort = fixed
      ? { port: Number(fixed) }
      : { port: Number(/PORT:-(\d{2,5})\b/.exec(repo.read('bin/dev') ?? '')?.[1] ?? 3000), variable: 'PORT' }
    const others = [...procfile!.matchAll(/^(\w+):/gm)].map((m) => m[1]).filter((n) => n !== 'web')
    const pidfile = railsServerPidfile(web)
    return {
      slot: 'restart',
      type: 'restart',
      config: {
        start: 'bin/dev',
        // Procfile.dev's web runs the same Rails server, which leaves the same pidfile (below).
        ...(pidfile ? { pidfile } : {}),
        health: healthUrl(port, `/${health}`),
        // Its first compile (webpack, esbuild, tailwind) can take longer than the default 30s.
        health_timeout: '2m',
      },
      why: `bin/dev (Procfile.dev: web${others.length > 0 ? `, ${others.join(', ')}` : ''}; port ${port.port})`,
    }
  }
  // `-p ${PORT:-3000}`: Rails' own default is PORT, else 3000; written out so the health check
  // below and the server move together when the shell sets PORT.
  const port: ServerPort = { port: 3000, variable: 'PORT' }
  return {
    slot: 'restart',
    type: 'restart',
    config: {
      start: `bin/rails server -b 127.0.0.1 -p ${portText(port)}`,
      // Rails' own pidfile: a server killed without cleaning up leaves it, and Rails refuses to
      // start while its pid answers signal 0 — a zombie does, where PID 1 reaps late. Named here,
      // devsetup removes it when it names no live server (never signalling what it names).
      pidfile: 'tmp/pids/server.pid',
      health: healthUrl(port, `/${health}`),
      // A first boot (bootsnap's cache, eager loading) on a busy laptop can pass the default 30s.
      health_timeout: '1m',
    },
    why: 'Rails (bin/rails server, port 3000)',
  }
}

/** The pidfile a Procfile's `web: bin/rails server …` writes (its `-P`/`--pid`, else Rails' default); none for another server. */
function railsServerPidfile(web: string): string | undefined {
  if (!/(?:^|[\s/])rails\s+(?:s|server)\b/.test(web)) return undefined
  return /(?:-P|--pid)[= ]\s*(\S+)/.exec(web)?.[1] ?? 'tmp/pids/server.pid'
}

function railsDatabase({ repo, example }: InitContext): DatabaseSource | undefined {
  // A gitignored database.yml is copied from its example first (config-examples.ts): read that.
  const file = configOrExample(repo, 'config/database.yml')
  const config = (file ? repo.yaml(file, example?.vars) : undefined) as
    | Record<string, Record<string, unknown>>
    | undefined
  const dev = config?.development
  if (!dev || typeof dev !== 'object') return undefined
  // Rails 7.1+ nests several databases: take the primary one.
  const db = (typeof dev.primary === 'object' ? dev.primary : dev) as Record<string, unknown>
  const engine = engineOf(String(db.adapter ?? ''))
  if (!engine) return undefined
  const why = `${file} (${db.adapter})`
  // The recipe hands every step DATABASE_URL, which Rails merges over database.yml: the app, its
  // migrations and its server all use the server devsetup checks. In Rails' own schemes (Rails
  // before 7.2 reads `mysql:` as an adapter named mysql), and 127.0.0.1 for MySQL: the mysql2 gem
  // takes `localhost` to mean the default Unix socket, not devsetup's server.
  const source = { engine, why, rank: 2, viaEnv: true }
  if (typeof db.url === 'string' && db.url) return { ...source, url: db.url }
  if (typeof db.database !== 'string') return source
  if (engine === 'sqlite') return { ...source, url: `sqlite3:${db.database}` }
  const scheme = engine === 'postgres' ? 'postgres' : db.adapter === 'trilogy' ? 'trilogy' : 'mysql2'
  const host =
    engine === 'mysql' && (db.host === undefined || db.host === 'localhost') ? '127.0.0.1' : db.host
  const url = serverUrl(engine, db.database, { ...db, host }).replace(/^\w+:/, `${scheme}:`)
  return { ...source, url }
}
