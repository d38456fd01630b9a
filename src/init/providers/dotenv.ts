// The example env file (`.env.example`, `env-example-relational`, ...): a `dotenv` step that
// makes `.env` from it, and the database its DATABASE_URL or DB_* keys describe. The values this
// machine needs instead (a compose host → 127.0.0.1) are added to the step by the database
// assembly, which knows which source won.
import { databaseFromEnv } from '../database-env.js'
import { type DatabaseSource, defineProvider } from '../provider.js'
import { keysReadInCode, secretsToGenerate } from '../secrets.js'

export const dotenv = defineProvider({
  name: 'dotenv',
  detect: ({ example }) => example !== undefined,
  contribute({ repo, example }) {
    if (!example) return {}
    const secrets = secretsToGenerate(repo, example)
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
    // An example written for a server (`NODE_ENV=production`) would run the app in production mode.
    const production = ['NODE_ENV', 'RAILS_ENV', 'RACK_ENV', 'APP_ENV', 'FLASK_ENV'].filter((key) =>
      /^prod(uction)?$/i.test(example.vars[key] ?? ''),
    )
    // Keys the code reads that the example fills: emptied in .env, the app breaks with every key
    // in place (a database name, a login password), so the recipe lists them in `required:`. A
    // key read only behind a feature flag is listed too: init cannot tell a flag from a need,
    // and the person who blanks one on purpose takes it out of `required:` (the note says so).
    const generated = new Set(secrets.map((s) => s.key))
    const reads = [...keysReadInCode(repo, example)].filter(
      ([key]) => example.vars[key] !== '' && !generated.has(key),
    )
    const config = {
      from: example.file,
      ...(secrets.length > 0 ? { generate: secrets.map((s) => s.key) } : {}),
      ...(reads.length > 0 ? { required: reads.map(([key]) => key) } : {}),
      ...(production.length > 0
        ? { set: Object.fromEntries(production.map((key) => [key, 'development'])) }
        : {}),
    }
    return {
      steps: [{ slot: 'dotenv', type: 'dotenv', config, why: example.why }],
      ...(database ? { database } : {}),
      notes: [
        ...secrets.map(
          ({ key, state, why, placeholder }) =>
            `${key} ${state} in ${example.file}:${example.lines[key]} and ${why}: the dotenv step generates ${
              placeholder
                ? "a placeholder so the app boots — it is another service's credential: what calls that service needs your own value in .env"
                : 'it'
            }`,
        ),
        ...(reads.length > 0
          ? [
              `required: ${reads.map(([key, at]) => `${key} (${at})`).join(', ')}: the app's code reads each where shown and ${example.file} fills it, so an emptied one is red and \`up\` puts the example's value back; blank one on purpose (to turn a feature off)? take it out of \`required:\` first`,
            ]
          : []),
        ...production.map(
          (key) =>
            `${key}=${example.vars[key]} in ${example.file}:${example.lines[key]}: the new .env gets development`,
        ),
      ],
    }
  },
})
