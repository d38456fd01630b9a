// The example env file (`.env.example`, `env-example-relational`, ...): a `dotenv` step that
// makes `.env` from it, and the database its DATABASE_URL or DB_* keys describe. The values this
// machine needs instead (a compose host → 127.0.0.1) are added to the step by the database
// assembly, which knows which source won.
import { databaseFromEnv } from '../database-env.js'
import { type DatabaseSource, defineProvider } from '../provider.js'

export const dotenv = defineProvider({
  name: 'dotenv',
  detect: ({ example }) => example !== undefined,
  contribute({ example }) {
    if (!example) return {}
    const fromEnv = databaseFromEnv(example)
    const database: DatabaseSource | undefined =
      fromEnv?.engine !== undefined
        ? {
            engine: fromEnv.engine,
            why: fromEnv.why,
            rank: 1,
            viaEnv: fromEnv.viaUrl,
            set: fromEnv.set,
            ...(fromEnv.viaUrl ? {} : { splitVars: 'always' as const }),
            ...(fromEnv.url ? { url: fromEnv.url } : {}),
          }
        : undefined
    return {
      steps: [{ slot: 'dotenv', type: 'dotenv', config: { from: example.file }, why: example.why }],
      ...(database ? { database } : {}),
    }
  },
})
