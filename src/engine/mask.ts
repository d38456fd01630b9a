// Secrets never reach an output (terminal, --json, run log, reports, state): `maskSecrets` is
// applied to everything shown that may carry a recipe's or a command's text. What it masks:
// - a URL's password, where it stands in the URL: `postgres://app:***@host/db`;
// - a value that looks like a well-known token (GitHub, GitLab, Slack, OpenAI-style, AWS
//   access key ids), wherever it appears;
// - the value after `NAME=` when NAME says secret (*TOKEN*, *SECRET*, *PASSWORD*, *_KEY);
// - the value of any variable whose name says secret or whose value looks like a token (noted
//   from the environment and the recipe's `env:`), wherever it appears as a whole word, but
//   only when it is distinctive: 8 characters or more, of at least two kinds (lower, upper,
//   digit, other). A plain word such as `devsetup` is masked only where it stands as a value
//   (the two forms above), never inside other text (`devsetup-api` stays readable).
// Everything here is plain string work: it runs on every output line.
import { escapeControls } from './render/controls.js'

export function maskUrls(text: string): string {
  return text.includes('://')
    ? text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s/]+)@/gi, '$1***@')
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
  /(?<![A-Za-z0-9_])([A-Za-z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD)[A-Za-z0-9_]*|[A-Za-z0-9_]*_KEY)=("[^"]*"|'[^']*'|[^\s"'&;]+)/gi

const known = new Set<string>()
let knownPattern: RegExp | undefined

/** A value masked wherever it appears: only distinctive ones, so masking never garbles text. */
export function isDistinctive(value: string): boolean {
  if (value.length < 8) return false
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((kind) => kind.test(value))
  return kinds.length >= 2
}

/** Notes a secret value; the distinctive ones are masked in all later output. */
export function noteSecret(value: string | undefined): void {
  if (value === undefined || !isDistinctive(value) || known.has(value)) return
  known.add(value)
  knownPattern = undefined
}

/** Notes the values of `env` whose names say secret or that look like tokens. */
export function noteSecretEnv(env: Readonly<Record<string, string | true | undefined>>): void {
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string' && isSecretVariable(name, value)) noteSecret(value)
  }
}

/** True when `name=value` is a secret by the rules above (for what is kept, not only shown). */
export function isSecretVariable(name: string, value: string): boolean {
  return isSecretName(name) || looksLikeToken(value)
}

/** The text with every secret masked as `***`; `extra` are further values (a step's password). */
export function maskSecrets(text: string, extra: readonly (string | undefined)[] = []): string {
  let masked = maskUrls(text).replace(tokenPattern, '***')
  masked = masked.replace(assignment, '$1=***')
  for (const value of extra) noteSecret(value)
  if (known.size === 0) return masked
  knownPattern ??= new RegExp(
    `(?<![A-Za-z0-9])(?:${[...known]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|')})(?![A-Za-z0-9])`,
    'g',
  )
  return masked.replace(knownPattern, '***')
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
