// Which keys of the example env file the dotenv step must `generate:` — a key left empty in the
// example (or holding a placeholder: `change-me`, `<secret>`, `generate_a_new_key`) that the app
// needs at boot (`JWT_SECRET=`: the server exits at once without it). A key
// is generated when its name says it is the app's own secret (SECRET, *_KEY, TOKEN, SALT, ...),
// or when an env validator in the code requires it (envalid, zod, joi, dotenv-safe, a "missing
// environment variables" check) and its name says secret. Never a database password (the role's
// password must match it) and, unless a validator requires it, never a third-party credential
// (a random Stripe key would turn a feature on that cannot work).

import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { EnvExample } from './env-example.js'
import type { RepoProbe } from './repo.js'
import { filesMatching, withoutComments } from './source-files.js'

export const secretName =
  /(SECRET|(^|_)KEYS?$|TOKEN|SALT|PEPPER|SIGNING|(^|_)PASSWORD$|PASSPHRASE|(^|_)HASH$)/
const databaseName =
  /(^|_)(DB|DATABASE|POSTGRES|PG|MYSQL|MARIADB|REDIS|MONGO|RABBIT|AMQP|ELASTIC|TYPEORM|SEQUELIZE|KNEX)(_|$)/
// Not a random string: a certificate or key pair in PEM (a generated value breaks the app's boot).
const keyMaterial = /(SSL|TLS|CERT|PEM|PRIVATE_KEY|PUBLIC_KEY|_KEY_PATH|_FILE$)/
// A place, not a secret: `OIDC_TOKEN_URI` names where a token is fetched (outline's validator wants a URL).
const location = /_(URI|URL|ENDPOINT|HOST|PATH|DIR)$/
/** An example value that only says "put a secret here": a new .env gets a generated one instead. */
export const placeholder =
  /^(<.*>|\$\{.*\}|x{3,}|\*+|change[-_ ]?me|changeit|replace[-_ ]?me|secret|your[-_].*|.*(generate|replace|change|insert|put|fill)[-_ ](a|an|the|your|with|in|me|this)(?![a-z]).*)$/i
export const thirdParty =
  /(API|CLIENT|STRIPE|AWS|S3|GITHUB|GITLAB|GOOGLE|TWILIO|SENDGRID|MAILGUN|SMTP|MAIL|SENTRY|SLACK|OPENAI|ANTHROPIC|FIREBASE|AUTH0|PUBLISHABLE|ACCESS|OAUTH|FACEBOOK|TWITTER|DISCORD|PUSHER|ALGOLIA|MAPBOX|RECAPTCHA|PAYPAL|APPLE|MICROSOFT|AZURE|GCP|CLOUDINARY|POSTMARK|RESEND|DSN|WEBHOOK|LICENSE|VAPID)/

// The app's own signing secret (sessions, cookies, JWTs): any value works, and the example's is
// public. A new .env gets a fresh one even where the example gives a sample value, and so an
// emptied one is red in doctor (`generate:` fills it) — serpbear's SECRET emptied in .env left
// doctor green while every login answered 401. Not a password or token a person types or a client
// sends: changing one of those would lock the developer out.
const signingSecret =
  /^(SECRET|APP_KEY|.*_SECRET|SECRET_KEY(_BASE)?|.*_SALT|SALT|PEPPER|.*_SIGNING_KEY|.*_KEY_BASE)$/

export interface SecretKey {
  key: string
  /** `is empty`, or `is a placeholder (change-me)`: a new .env gets a generated value for it. */
  state: string
  /** Why it is generated, for init's output: the validator's file:line, or its name. */
  why: string
  /** A third party's credential (GITHUB_TOKEN) a validator requires: the value only lets the app boot. */
  placeholder?: boolean
}

export function secretsToGenerate(repo: RepoProbe, example: EnvExample): SecretKey[] {
  const required = requiredByValidators(repo, example)
  const keys: SecretKey[] = []
  for (const [key, value] of Object.entries(example.vars)) {
    // A third party's client id an env validator requires (my-links' GOOGLE_CLIENT_ID, beside its
    // GOOGLE_CLIENT_SECRET) is a credential too: a placeholder only lets the app boot.
    const credential = secretName.test(key) || (thirdParty.test(key) && /_ID$/.test(key) && required.has(key))
    if (!credential || databaseName.test(key) || keyMaterial.test(key) || location.test(key)) continue
    const empty = value === ''
    const sample = !empty && !placeholder.test(value)
    if (sample && (!signingSecret.test(key) || thirdParty.test(key))) continue
    const validator = required.get(key)
    const state = empty ? 'is empty' : sample ? 'has a sample value' : `is a placeholder (${value})`
    if (validator)
      keys.push({
        key,
        state,
        why: `required by ${validator}`,
        ...(thirdParty.test(key) ? { placeholder: true } : {}),
      })
    else if (!thirdParty.test(key)) keys.push({ key, state, why: 'its name says it is a secret of the app' })
  }
  return keys
}

const validatorSigns =
  /cleanEnv\(|from ['"]envalid['"]|require\(['"]envalid['"]\)|dotenv-safe|Joi\.object|z\.object\(|Env\.create\(|missing (required )?env(ironment)?( var(iable)?s?)?/i

// One init asks several times (the secrets to generate, the app's own URL keys, the keys it
// reads): the source files are read once per example env, in one pass for all of them.
const readFor = new WeakMap<EnvExample, { root: string; scan: CodeScan }>()

interface CodeScan {
  /** KEY → `file:line` of the validator that requires it. */
  required: Map<string, string>
  /** KEY (of the example) → `file:line` of the first place the code reads it. */
  reads: Map<string, string>
}

/** KEY → `file:line` of the validator that requires it. */
export function requiredByValidators(repo: RepoProbe, example: EnvExample): Map<string, string> {
  return scanCode(repo, example).required
}

/**
 * The example's keys the app's code reads, each with the `file:line` of its first read:
 * `process.env.KEY`, `process.env['KEY']`, `import.meta.env.KEY`, `const { KEY } = process.env`,
 * `env('KEY')` / `Env.get('KEY')`, or a validator's line. A key named only in a comment
 * (`// console.log(process.env.SECRET)`) is not read.
 */
export function keysReadInCode(repo: RepoProbe, example: EnvExample): Map<string, string> {
  return scanCode(repo, example).reads
}

// `process.env.KEY` (also `process?.env?.KEY`), `process.env['KEY']`, `import.meta.env.KEY`,
// `env('KEY')` / `Env.get('KEY')`, Sequelize's `use_env_variable: 'KEY'`.
const envRead =
  /(?:process\??\.env|import\.meta\.env)\??\.([A-Za-z_]\w*)|(?:process\??\.env|import\.meta\.env)(?:\?\.)?\[\s*['"](\w+)['"]\s*\]|\b[Ee]nv(?:\.get)?\(\s*['"](\w+)['"]|use_env_variable['"]?\s*:\s*['"](\w+)['"]/g
const destructured = /\{([^{}]*)\}\s*=\s*process\.env\b/g
// `const env = process.env` then `env.DB_HOST`; `const { env } = process`, `import { env } from 'node:process'`.
const aliasOfEnv = /\b(?:const|let|var)\s+(\w+)\s*=\s*process\.env\b(?!\s*(?:\?\.|\.|\[))/g
const envFromProcess =
  /\{\s*env\s*\}\s*=\s*(?:process\b|require\(\s*['"](?:node:)?process['"]\s*\))|import\s*\{\s*env\s*\}\s*from\s*['"](?:node:)?process['"]/

// Ruby (`ENV["KEY"]`, `ENV.fetch("KEY")`, also in a config's ERB: `<%= ENV["DB_HOST"] %>`) and
// Python (`os.environ["KEY"]`, `os.environ.get("KEY")`, `os.getenv("KEY")`, django-environ's
// `env.str("KEY")`): Rails is devsetup's home stack, and its apps read .env through dotenv-rails.
const scriptRead =
  /\bENV(?:\.fetch\(\s*|\[\s*)['"](\w+)['"]|\b(?:os\.)?environ(?:\.get\(\s*|\[\s*)['"](\w+)['"]|\bos\.getenv\(\s*['"](\w+)['"]|\benv\.(?:str|int|bool|float|list|url|db_url|json)\(\s*['"](\w+)['"]/g
/** Ruby and Python files, and the ERB-templated YAML of a Rails config (database.yml). */
const scriptFile = /\.(rb|rake|erb|py)$|^(database|cable|storage|queue|cache)\.yml$/

/** Reads through a name the file gave process.env: `env.DB_HOST`, `env['DB_HOST']`. */
function aliasReads(code: string): RegExp | undefined {
  const names = [...code.matchAll(aliasOfEnv)].map((m) => m[1]!)
  if (envFromProcess.test(code)) names.push('env')
  if (names.length === 0) return undefined
  const name = `(?:${[...new Set(names)].join('|')})`
  return new RegExp(String.raw`\b${name}\??\.([A-Z_][A-Z0-9_]*)\b|\b${name}\[\s*['"](\w+)['"]`, 'g')
}

function scanCode(repo: RepoProbe, example: EnvExample): CodeScan {
  const earlier = readFor.get(example)
  if (earlier?.root === repo.root) return earlier.scan
  const scan: CodeScan = { required: new Map(), reads: new Map() }
  readFor.set(example, { root: repo.root, scan })
  const { required, reads } = scan
  // dotenv-safe refuses to start while any key of the example is empty.
  const pkg = repo.nodeDependencies()
  if (pkg['dotenv-safe'] !== undefined)
    for (const key of Object.keys(example.vars)) required.set(key, 'dotenv-safe (package.json)')
  for (const file of repo.sourceFiles()) {
    const text = readFileSync(path.join(repo.root, file), 'utf8')
    const read = (key: string, at: string) => {
      if (key in example.vars && !reads.has(key)) reads.set(key, at)
    }
    const code = withoutComments(text)
    const alias = aliasReads(code)
    for (const [i, line] of code.split('\n').entries()) {
      for (const m of line.matchAll(envRead)) read((m[1] ?? m[2] ?? m[3] ?? m[4])!, `${file}:${i + 1}`)
      for (const m of alias ? line.matchAll(alias) : []) read((m[1] ?? m[2])!, `${file}:${i + 1}`)
      for (const m of line.matchAll(destructured))
        for (const name of m[1]!.split(',')) read(name.trim().split(/[\s:=]/)[0]!, `${file}:${i + 1}`)
    }
    if (!validatorSigns.test(text)) continue
    const lines = text.split('\n')
    for (const [i, line] of lines.entries()) {
      // `JWT_SECRET: str()`, `JWT_SECRET: z.string()`, `JWT_SECRET: Joi.string().required()`,
      // or a name in a list of required variables: `['JWT_SECRET', 'DATABASE_URL']`.
      // A key with a default (`str({ default: '' })`, `.optional()`, `.default(…)`) is not required.
      if (/\bdefault\b|optional/.test(line)) continue
      for (const match of line.matchAll(
        /\b([A-Z][A-Z0-9_]{2,})\b['"]?\s*:\s*(?:str|url|host|port|email|json|z\.|Joi\.|Env\.schema\.\w+\()/g,
      ))
        if (!required.has(match[1]!)) required.set(match[1]!, `${file}:${i + 1}`)
      for (const match of line.matchAll(/['"]([A-Z][A-Z0-9_]{2,})['"]\s*[,\]]/g))
        if (match[1]! in example.vars && !required.has(match[1]!)) required.set(match[1]!, `${file}:${i + 1}`)
    }
  }
  for (const file of filesMatching(repo.root, scriptFile)) {
    const lines = (repo.read(file) ?? '').split('\n')
    for (const [i, line] of lines.entries()) {
      // A `#` line is a comment in Ruby, Python and YAML alike: `# ENV["SECRET"]` is no read.
      if (/^\s*#/.test(line)) continue
      for (const m of line.matchAll(scriptRead)) {
        const key = (m[1] ?? m[2] ?? m[3] ?? m[4])!
        if (key in example.vars && !reads.has(key)) reads.set(key, `${file}:${i + 1}`)
      }
    }
  }
  // A key a validator requires is read at boot, wherever the code then uses it.
  for (const [key, at] of required) if (key in example.vars && !reads.has(key)) reads.set(key, at)
  return scan
}
