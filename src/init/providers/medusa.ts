// Medusa (v2): a PostgreSQL app whose medusa-config reads its database from the env
// (`databaseUrl: process.env.DATABASE_URL`), loaded from .env by Medusa itself. An empty
// DATABASE_URL in the example gets this machine's URL through the dotenv step's `set:`, on the
// database Medusa's own `db:create` would make (the example's DB_NAME). `medusa db:migrate` applies
// the migrations of Medusa's modules (recorded in MikroORM's `mikro_orm_migrations`) and the app's
// own (src/modules/*/migrations). The dev server is `medusa develop`, on PORT (default 9000, the
// CLI's default), with Medusa's built-in /health.
import { whereIn } from '../env-example.js'
import { healthUrl, type ServerPort } from '../health-route.js'
import { type DatabaseSource, defineProvider, type InitContext } from '../provider.js'
import { nodeRunner } from './node.js'

const configFile = ({ repo }: InitContext) => repo.first(['medusa-config.ts', 'medusa-config.js'])

export const medusa = defineProvider({
  name: 'medusa',
  detect: (ctx) =>
    ctx.repo.nodeDependencies()['@medusajs/medusa'] !== undefined && configFile(ctx) !== undefined,
  contribute: (ctx) => {
    const { repo, example } = ctx
    const file = configFile(ctx)!
    const text = repo.read(file) ?? ''
    const at = text.search(/databaseUrl\s*:/)
    const urlVar = /databaseUrl\s*:\s*process\.env\.(\w+)/.exec(text)?.[1]
    const where = `${file}:${text.slice(0, at).split('\n').length}`
    const database: DatabaseSource = { engine: 'postgres', why: `${where} (databaseUrl)`, rank: 0 }
    const value = urlVar ? example?.vars[urlVar] : undefined
    const name = example?.vars.DB_NAME
    if (urlVar && value && /^postgres(ql)?:\/\//.test(value)) {
      Object.assign(database, {
        url: value,
        why: `${where} (databaseUrl from ${urlVar}, ${whereIn(example!, [urlVar])})`,
      })
      if (urlVar === 'DATABASE_URL') database.viaEnv = true
      else database.setVar = urlVar
    } else if (urlVar) {
      // Empty in the example (Medusa's own setup asks for it): the new .env gets devsetup's URL.
      database.setVar = urlVar
      if (name) {
        database.url = `postgres://localhost:5432/${encodeURIComponent(name)}`
        database.why += `, database DB_NAME (${whereIn(example!, ['DB_NAME'])})`
      }
    } else {
      database.computedAt = where
    }
    const scripts = repo.nodeScripts()
    const dev = Object.keys(scripts).find((n) => /\bmedusa\s+develop\b/.test(scripts[n]!))
    const portFlag = dev ? /(?:-p|--port)[= ](\d{2,5})\b/.exec(scripts[dev]!)?.[1] : undefined
    const envPort = example?.vars.PORT
    const port: ServerPort = portFlag
      ? { port: Number(portFlag) }
      : { port: Number(envPort) || 9000, variable: 'PORT' }
    const portWhy = portFlag
      ? `--port in scripts.${dev}`
      : envPort
        ? whereIn(example!, ['PORT'])
        : "the Medusa CLI's default (PORT unset)"
    // mikro_orm_migrations also lists Medusa's own modules' migrations, which live under
    // node_modules, and only the enabled modules' (a glob there would wait for ever on the
    // disabled ones'). The lockfile decides which of them exist: checked by its fingerprint, as
    // the table lists none of its files. The app's own module migrations, when it has some, are
    // checked by the table instead (and the note says upgrades of Medusa's are then not seen).
    const own = repo.sourceFiles().some((f) => /^src\/modules\/[^/]+\/migrations\//.test(f))
    const lockfile = repo.first(['yarn.lock', 'package-lock.json', 'pnpm-lock.yaml'])
    const migrations = own ? 'src/modules/*/migrations/**' : lockfile
    return {
      database,
      databaseCommands: { migrate: 'npx medusa db:migrate', ...(migrations ? { migrations } : {}) },
      devServer: [
        {
          slot: 'restart',
          type: 'restart',
          config: {
            start: dev ? `${nodeRunner(repo)} ${dev}` : 'npx medusa develop',
            health: healthUrl(port, '/health'),
            // The first start builds the admin dashboard.
            health_timeout: '2m',
          },
          why: `${dev ? `package.json scripts.${dev}` : 'medusa develop'}, port ${port.port} from ${portWhy}, Medusa's /health`,
        },
      ],
      notes: [
        "Medusa's own modules' migrations are in node_modules/@medusajs/*/dist/migrations, which no glob watches: after upgrading @medusajs packages, `npx medusa db:migrate`",
      ],
    }
  },
})
