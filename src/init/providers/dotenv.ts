// The example env file (`.env.example`, `env-example-relational`, ...): a `dotenv` step that
// makes `.env` from it, and the database its DATABASE_URL or DB_* keys describe. The values this
// machine needs instead (a compose host → 127.0.0.1) are added to the step by the database
// assembly, which knows which source won.
import { databaseFromEnv } from '../database-env.js'
import type { EnvExample } from '../env-example.js'
import { type DatabaseSource, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'
import { keysReadInCode, placeholder, secretName, secretsToGenerate, thirdParty } from '../secrets.js'

// Not in `required:`, though the code reads them and the example fills them:
// - another service's credential (SENTRY_DSN, OPENAI_API_KEY, STRIPE_SECRET_KEY, a client id): the
//   example's value is nobody's working one, and a person blanks it to turn that feature off; `up`
//   writing the fake one back would turn the feature on against a service that refuses it.
// - a placeholder value (`your-openai-key`, `<token>`, `xxx`): putting it back fixes nothing.
// - a key read with a fallback that is the example's own value (`process.env.PORT || 3000` beside
//   PORT=3000, at the read init quotes, its first): emptied, the app runs as with the example. Only `||` counts:
//   `??`, Ruby's ENV.fetch default and os.getenv's second argument keep an empty string, so an
//   emptied key is read as '' (`Number('' ?? 3000)` listens on a random port). A fallback to
//   another value (DB_NAME || 'app' beside DB_NAME=app_dev) changes what the app does: still required.
const credential = (key: string) => thirdParty.test(key) && (secretName.test(key) || /DSN|_ID$/.test(key))

const value = String.raw`(?:(['"\`])(.*?)\1|([\w.:/-]+))`

/** The fallback value where the code reads `key` (`process.env.KEY || 3000` → 3000), if any. */
function fallbackAt(repo: RepoProbe, key: string, at: string): string | undefined {
  const [file, line] = [at.slice(0, at.lastIndexOf(':')), Number(at.slice(at.lastIndexOf(':') + 1))]
  const text = repo.read(file)?.split('\n')[line - 1] ?? ''
  // `X || 3000` (JS, Ruby), or a default given with the read: `ENV.fetch("X", 3000)`,
  // `ENV.fetch("X") { 3000 }`, `os.getenv("X", "3000")`, `os.environ.get("X", "3000")`.
  const m =
    new RegExp(String.raw`\b${key}\b['"\]]*\)?\s*\|\|\s*${value}`).exec(text) ??
    new RegExp(String.raw`['"]${key}['"]\s*(?:,\s*(?:default\s*=\s*)?|\)\s*\{\s*)${value}`).exec(text)
  return m ? (m[2] ?? m[3]) : undefined
}

/** Why a read, filled key is not required (undefined: it is). */
function notRequired(repo: RepoProbe, example: EnvExample, key: string, at: string): string | undefined {
  if (credential(key)) return "another service's credential: the example's value is no working one"
  if (placeholder.test(example.vars[key]!)) return 'a placeholder value: putting it back fixes nothing'
  if (fallbackAt(repo, key, at) === example.vars[key])
    return "read with a fallback to the example's value: emptied, the app runs as with the example"
  return undefined
}

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
            ...(fromEnv.url && fromEnv.urlRef ? { urlRef: fromEnv.urlRef } : {}),
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
    // The exceptions (notRequired, above) are said in a note each.
    const generated = new Set(secrets.map((s) => s.key))
    const filled = [...keysReadInCode(repo, example)].filter(
      ([key]) => example.vars[key] !== '' && !generated.has(key),
    )
    const skipped = new Map<string, string[]>()
    const reads = filled.filter(([key, at]) => {
      const why = notRequired(repo, example, key, at)
      if (why) skipped.set(why, [...(skipped.get(why) ?? []), `${key} (${at})`])
      return why === undefined
    })
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
        ...[...skipped].map(([why, keys]) => `not in \`required:\`: ${keys.join(', ')}: ${why}`),
        ...production.map(
          (key) =>
            `${key}=${example.vars[key]} in ${example.file}:${example.lines[key]}: the new .env gets development`,
        ),
      ],
    }
  },
})
