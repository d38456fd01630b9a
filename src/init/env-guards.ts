// A seed or setup script that refuses to run unless the environment opts in
// (`if (Number(process.env.CAN_SEED_DATABASE) !== 1) throw new Error(...)`): the recipe's seed
// would fail on every fresh checkout. The dev recipe opts in through the dotenv step's `set:`,
// for the new .env only (a value already in .env is never changed), naming the guard's
// file:line. Never for anything named prod/production/deploy: that guard protects a real server.
import type { DetectedStep } from './provider.js'
import type { RepoProbe } from './repo.js'
import { scriptFiles } from './script-files.js'

export interface EnvGuard {
  key: string
  /** The value the guard lets through. */
  value: string
  file: string
  line: number
  command: string
}

const production = /\b(prod|production|deploy)\b|:prod\b|[-_]prod\b/i
const envRef = String.raw`process\.env(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])`
// `X !== 1`, `Number(X) !== 1`, `X !== '1'`, `X != "true"`: the guard lets the literal through.
const unlessEquals = new RegExp(String.raw`${envRef}\s*\)?\s*!==?\s*(['"]?)([\w.-]+)\3`)
// `!process.env.X`, `process.env.X === undefined`: any value lets it through; '1' says "yes".
const unlessSet = new RegExp(String.raw`!\s*${envRef}(?!\s*[=!]==?)|${envRef}\s*===?\s*(?:undefined|'')`)
const modeKeys = /^(NODE|APP|RAILS|RACK|FLASK)_ENV$/
const refusal = /\bthrow\b|process\.exit\(\s*[1-9]|\bexit\(\s*[1-9]/

/** The guards in the files `command` runs; none for a production-looking command or script. */
export function envGuards(repo: RepoProbe, command: string): EnvGuard[] {
  if (production.test(command)) return []
  const { scripts, files } = scriptFiles(repo, command)
  if (scripts.some((s) => production.test(s))) return []
  const guards: EnvGuard[] = []
  for (const file of files.filter((f) => !production.test(f))) {
    const lines = (repo.read(file) ?? '').split(/\r?\n/)
    lines.forEach((text, index) => {
      if (!/^\s*(?:}\s*else\s+)?if\s*\(/.test(text)) return
      if (!refusal.test(bodyOf(lines, index))) return
      const equals = unlessEquals.exec(text)
      const set = equals ? undefined : unlessSet.exec(text)
      const key = equals ? (equals[1] ?? equals[2]) : set ? (set[1] ?? set[2] ?? set[3] ?? set[4]) : undefined
      // NODE_ENV and friends pick the app's mode: the dotenv provider's business, never a seed's wish (a test-only seed).
      if (!key || modeKeys.test(key) || guards.some((g) => g.key === key)) return
      const value = equals ? equals[4]! : '1'
      guards.push({ key, value, file, line: index + 1, command })
    })
  }
  return guards
}

/** The `if`'s own body: its block (`{` ... `}`), the rest of its line, or the next line. */
function bodyOf(lines: string[], index: number): string {
  const text = lines[index]!
  if (/\{\s*$/.test(text)) {
    const end = lines.findIndex((l, i) => i > index && /^\s*}/.test(l))
    return lines.slice(index, end === -1 ? index + 6 : end).join('\n')
  }
  return /\)\s*$/.test(text) ? `${text}\n${lines[index + 1] ?? ''}` : text
}

/** The commands a recipe runs for the database and the app's setup, in the order it runs them. */
export function setupCommands(steps: DetectedStep[]): string[] {
  const commands: string[] = []
  for (const step of steps) {
    if (step.type === 'database') {
      const config = step.config as Record<string, unknown>
      for (const key of ['load', 'migrate', 'seed'])
        if (typeof config[key] === 'string') commands.push(config[key] as string)
    } else if (step.type === 'run' && typeof step.flat?.run === 'string') commands.push(step.flat.run)
  }
  return commands
}

/** The guards of the recipe's setup commands, opted into by the dotenv step's `set:` (a person's .env is kept). */
export function optIntoGuards(
  repo: RepoProbe,
  steps: DetectedStep[],
  exampleVars: Record<string, string>,
): string[] {
  const dotenv = steps.find((s) => s.type === 'dotenv')
  const notes: string[] = []
  for (const command of setupCommands(steps)) {
    for (const guard of envGuards(repo, command)) {
      const where = `${guard.file}:${guard.line}`
      if (exampleVars[guard.key] === guard.value) continue
      if (!dotenv) {
        notes.push(
          `\`${command}\` refuses to run unless ${guard.key}=${guard.value} (${where}): set it in .env`,
        )
        continue
      }
      const config = dotenv.config as { set?: Record<string, string> }
      if (config.set?.[guard.key] !== undefined) continue
      dotenv.config = { ...config, set: { ...config.set, [guard.key]: guard.value } }
      dotenv.why = `${dotenv.why}; ${guard.key}=${guard.value} for \`${command}\` (${where} refuses without it)`
      notes.push(
        `${guard.key}=${guard.value} in the new .env: \`${command}\` refuses to run without it (${where}); a development database only`,
      )
    }
  }
  return notes
}
