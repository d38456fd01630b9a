// Secrets never reach an output (terminal, --json, run log, reports, state): `maskSecrets` is
// applied to everything shown that may carry a recipe's or a command's text. What it masks:
// - a URL's password, where it stands in the URL: `postgres://app:***@host/db`;
// - a value that looks like a well-known token (GitHub, GitLab, Slack, OpenAI-style, AWS
//   access key ids), wherever it appears;
// - the value after `NAME=` when NAME says secret (*TOKEN*, *SECRET*, *PASSWORD*, *_KEY);
// - the value after a secret option, `--password X`, `--token=X`, `--requirepass X`, `--api-key X`
//   (the option's name ends in the word), and a MySQL client's `-pX` / redis-cli's `-a X`;
// - values noted from the environment, the recipe's `env:` and its steps (a `service:` or
//   `database:` step's `url:` password and `password:` key, noteSecretsIn):
//   - the value of a variable whose name says secret, when 5 characters or more, whatever its
//     characters (`APP_SECRET=correcthorsebatterystaple`), except the words true/false-like
//     flags hold (`TOKENIZERS_PARALLELISM=false` must not mask every `false`) and a local
//     server's stock password (`postgres`, `password`: masked in URLs only);
//   - the password of a URL in any variable (`DATABASE_URL=postgres://app:Pw9uRlPass@…`), and a
//     token-looking value under any name, when distinctive: 8 characters or more, of at least two
//     kinds (lower, upper, digit, other). A common word such as `postgres` in
//     `postgres://postgres:postgres@…` is masked in the URL only, so output stays readable.
//   A noted value that is distinctive (8 characters or more, of two kinds) is masked wherever it
//   stands, glued to other text too (`mysql -p${DB_PASSWORD}` shows `-p***`); any other (5 to 7
//   characters, or one kind only: `postgres`, `password`) only as a whole word, not inside a
//   longer run of letters and digits: such values are the ones ordinary words contain
//   (`administrator`, `development`, `/usr/lib/postgresql`, `password authentication failed`),
//   and one glued to text was never hidden well by a mask anyway (its length shows).
// Everything here is plain string work: it runs on every output line.
import { escapeControls } from './render/controls.js'

const urlPassword = /[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s/]+)@/gi

export function maskUrls(text: string): string {
  return text.includes('://')
    ? text.replace(urlPassword, (url, password: string) => `${url.slice(0, -password.length - 1)}***@`)
    : text
}

const secretName = /TOKEN|SECRET|PASSWORD|PASSWD|_KEY$/i

/** True for a variable name that says it holds a secret: `GITHUB_TOKEN`, `DB_PASSWORD`, `API_KEY`. */
export function isSecretName(name: string): boolean {
  return secretName.test(name)
}

const tokenFormats = [
  'gh[pousr]_[A-Za-z0-9]{20,}',
  'github_pat_[A-Za-z0-9_]{20,}',
  'glpat-[A-Za-z0-9_-]{20,}',
  'xox[bpaors]-[A-Za-z0-9-]{10,}',
  // sk-… (OpenAI, Anthropic, Stripe): long, and with a digit, so `sk-some-package-name` is not one.
  'sk-(?=[A-Za-z0-9_-]*\\d)[A-Za-z0-9_-]{20,}',
  'AKIA[0-9A-Z]{16}',
].join('|')
const tokenPattern = new RegExp(`(?<![A-Za-z0-9_])(?:${tokenFormats})`, 'g')

/** True when `value` is, or holds, a token in a well-known format. */
export function looksLikeToken(value: string): boolean {
  tokenPattern.lastIndex = 0
  return tokenPattern.test(value)
}

// `GITHUB_TOKEN=…`, `password="…"`, `--api_key=…`: the value up to the end of its word or quotes.
const assignment =
  /(?<![A-Za-z0-9_])([A-Za-z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD)[A-Za-z0-9_]*|[A-Za-z0-9_]*_KEY)=(?!\*\*\*)("[^"]*"|'[^']*'|[^\s"'`&;]+)/gi

// `--password X`, `--db-password=X`, `-requirepass X`, `--api-key X`: the option's name ends in a
// word that says secret; a value that is itself an option (`mysql --password --host x`, which
// asks for it) is not one, nor one masked already (a label masked again stays as it was).
const secretOption =
  /(?<![A-Za-z0-9_-])(--?(?:[A-Za-z0-9]+[-_])*(?:password|passwd|pass|secret|token|api-?key|apikey|requirepass|masterauth))(=|\s+)(?!-|\*\*\*)("[^"]*"|'[^']*'|[^\s"'`&;|)]+)/gi
// A MySQL/MariaDB client's `-pX` (its password glued to the option) and redis-cli's `-a X`:
// only after those commands, up to the command's end, as `-p` and `-a` mean other things
// elsewhere (`mkdir -p`).
const quotedOrWord = `(?!\\*\\*\\*)("[^"]*"|'[^']*'|[^\\s"'\`)]+)`
const gluedP = new RegExp(`(\\s-p)(?=[^\\s-])${quotedOrWord}`, 'g')
const clientPasswords: [command: RegExp, password: RegExp][] = [
  [/(?<![\w-])(?:mysql[a-z]*|mariadb(?:-[a-z]+)?)(?![\w-])[^\n;&|]*/g, gluedP],
  [/(?<![\w-])redis-cli(?![\w-])[^\n;&|]*/g, new RegExp(`(\\s-a\\s+)${quotedOrWord}`, 'g')],
]

function maskOptions(text: string): string {
  let masked = text.replace(secretOption, '$1$2***')
  for (const [command, password] of clientPasswords)
    masked = masked.replace(command, (found) => found.replace(password, '$1***'))
  return masked
}

/**
 * A foreign process's command line (a port's holder): masked as any text is, and any `-pX`
 * too, whatever the program (a wrapper or a server of unknown options): a hidden `-p5433` costs
 * less than a shown password.
 */
export function maskCommandLine(command: string): string {
  return maskSecrets(command).replace(gluedP, '$1***')
}

const known = new Set<string>()
let knownPattern: RegExp | undefined

/** A value masked wherever it appears: only distinctive ones, so masking never garbles text. */
export function isDistinctive(value: string): boolean {
  if (value.length < 8) return false
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((kind) => kind.test(value))
  return kinds.length >= 2
}

/** Notes a secret value, masked in all later output: only distinctive ones, unless `named` (see above). */
export function noteSecret(value: string | undefined, named = false): void {
  if (value === undefined || known.has(value)) return
  if (!(named ? isNamedSecretShown(value) : isDistinctive(value))) return
  known.add(value)
  knownPattern = undefined
}

const flagWords = new Set(['false', 'true', 'undefined', 'enabled', 'disabled', 'never', 'always'])
// A local server's stock password (`postgres://postgres:postgres@…`, DB_PASSWORD=postgres) hides
// nothing anyone lacks, while masked as a word it garbles every path and line naming the engine
// (`services/***/data`, "Using '***' driver": fastify-drizzle). Still masked where it stands in a URL.
const stockPasswords = new Set([
  'postgres',
  'password',
  'mysql',
  'mariadb',
  'redis',
  'secret',
  'admin',
  'changeme',
])

/** A secret-named variable's value worth masking everywhere: long enough, not a flag's word nor a stock password. */
function isNamedSecretShown(value: string): boolean {
  const word = value.trim().toLowerCase()
  return word.length >= 5 && !flagWords.has(word) && !stockPasswords.has(word)
}

/** Notes the values of `env` whose names say secret or that look like tokens, and URL passwords. */
export function noteSecretEnv(env: Readonly<Record<string, string | true | undefined>>): void {
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string') continue
    if (isSecretName(name)) noteSecret(value, true)
    else if (looksLikeToken(value)) noteSecret(value)
    for (const password of urlPasswords(value)) noteSecret(password)
  }
}

/** The passwords of the URLs in `text`, as written and decoded (a program prints the decoded one). */
function urlPasswords(text: string): string[] {
  if (!text.includes('://')) return []
  return [...text.matchAll(urlPassword)].flatMap(([, password]) => {
    try {
      return [password!, decodeURIComponent(password!)]
    } catch {
      return [password!]
    }
  })
}

/**
 * Notes the secrets a step's own settings hold (its `url:`'s password, a `password:` key's
 * value): masked in every output and in what the step hands on (`DATABASE_URL`), as if they
 * were in the recipe's `env:`.
 */
export function noteSecretsIn(config: unknown, name = ''): void {
  if (typeof config === 'string') {
    if (isSecretName(name)) noteSecret(config, true)
    for (const password of urlPasswords(config)) noteSecret(password)
  } else if (Array.isArray(config)) {
    for (const item of config) noteSecretsIn(item)
  } else if (config !== null && typeof config === 'object') {
    for (const [key, value] of Object.entries(config)) noteSecretsIn(value, key)
  }
}

/** True when `name=value` is a secret by the rules above (for what is kept, not only shown). */
export function isSecretVariable(name: string, value: string): boolean {
  return isSecretName(name) || looksLikeToken(value)
}

/** The text with every secret masked as `***`; `extra` are further values (a step's password). */
export function maskSecrets(text: string, extra: readonly (string | undefined)[] = []): string {
  let masked = maskUrls(text).replace(tokenPattern, '***')
  masked = maskOptions(masked.replace(assignment, '$1=***'))
  for (const value of extra) noteSecret(value)
  if (known.size === 0) return masked
  knownPattern ??= knownValuesPattern()
  return masked.replace(knownPattern, '***')
}

/**
 * The noted values, longest first: distinctive ones (8+ characters of two kinds: `GluedPw8842zz`)
 * anywhere, glued to other text too (`-p${DB_PASSWORD}`); the others only as whole words. A
 * word-like password (`postgres`, `password`) masked inside words would hide what the output
 * says (`/usr/lib/postgresql`, `password authentication failed`), and such a value glued to text
 * was never hidden well anyway.
 */
function knownValuesPattern(): RegExp {
  const values = [...known].sort((a, b) => b.length - a.length)
  const alternatives = (list: string[]) => list.map(escapeRegExp).join('|')
  const long = values.filter(isDistinctive)
  const short = values.filter((value) => !isDistinctive(value))
  const parts = [
    ...(long.length ? [`(?:${alternatives(long)})`] : []),
    ...(short.length ? [`(?<![A-Za-z0-9])(?:${alternatives(short)})(?![A-Za-z0-9])`] : []),
  ]
  return new RegExp(parts.join('|'), 'g')
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')
}

/**
 * A text devsetup says about a step (a reason, a fix, a command), which may quote the recipe:
 * secrets masked, control characters escaped (render/controls.ts), its lines kept.
 */
export function shownText(text: string): string {
  return escapeControls(maskSecrets(text), true)
}

/** A step's outcome as every output shows it: each text in it masked (the engine's one gate). */
export function maskOutcome<T extends MaskableOutcome>(outcome: T): T {
  const masked: T = { ...outcome, reason: shownText(outcome.reason) }
  if (outcome.fix !== undefined) masked.fix = shownText(outcome.fix)
  if (outcome.commands) masked.commands = outcome.commands.map(shownText)
  const failure = outcome.failure
  if (failure) {
    masked.failure = {
      ...failure,
      ...(failure.command !== undefined && { command: shownText(failure.command) }),
      ...(failure.tail && { tail: failure.tail.map((line) => maskSecrets(line)) }),
      ...(failure.diagnosis && {
        diagnosis: failure.diagnosis.map((d) => ({
          ...d,
          cause: maskSecrets(d.cause),
          fix: maskSecrets(d.fix),
        })),
      }),
    }
  }
  return masked
}

type MaskableOutcome = Pick<import('./events.js').StepOutcome, 'reason' | 'fix' | 'commands' | 'failure'>
