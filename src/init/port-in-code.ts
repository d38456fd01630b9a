// The port a Node server's own code listens on, read from the file the dev script runs and the
// local modules it imports (`const port = process.env.NODE_SERVER_PORT || 3000`, `port:
// ENV_CONFIG.HTTP_PORT ?? 3000`, `[args.port, process.env.PORT, 3001]`, `app.listen(3000)`,
// `app.get('port')` of node-config). A variable the code reads takes its value from the env files
// the app loads — whatever its name —, else the code's own fallback. Found nothing: the caller says
// what was looked at, never a guess.
import type { EnvExample } from './env-example.js'
import { envFilesNamedIn } from './env-file-reads.js'
import { nodeConfigValue } from './node-config.js'
import type { RepoProbe } from './repo.js'

export interface PortChoice {
  port: number
  /** file:line of the value, for init's output. */
  why: string
  /** A route the framework itself answers on (`/health` of Medusa), when the code names none. */
  health?: string
  /** The health route the server's own code registers, found where init read it (a workspace package's folder). */
  route?: { route: string; why: string }
  /**
   * The one variable the app takes this port from (`process.env.NODE_SERVER_PORT || 3000`): the
   * recipe writes `${NODE_SERVER_PORT:-5000}`, the value its env files give as the default. dotenv,
   * `node --env-file` and env-schema leave a variable already in the environment alone, so a
   * `NODE_SERVER_PORT=6000 devsetup up` moves the app and its health check together.
   */
  variable?: string
}

interface EnvFile {
  file: string
  text: string
  vars: Record<string, string>
}

// A port of another service (`DB_PORT || 5432`), not the server's.
const otherService =
  /DB|DATABASE|PG|POSTGRES|MYSQL|MARIA|REDIS|MONGO|SMTP|MAIL|AMQP|RABBIT|KAFKA|ELASTIC|MEMCACHE|MINIO|S3|DEBUG|INSPECT|PROXY|VITE|CLIENT|FRONTEND|SSH|LDAP|IMAP|SOCKS/i
// `port: …` / `const PORT = …` before `.listen(…)`: `listen({ port: Number(process.env.PORT ?? 3000) })`.
const portAssigned = /\b([A-Za-z_]*(?:port|PORT|Port))\s*[:=](?!=)\s*(.+)$/
const listenCall = /\.listen\(()\s*(.+)$/
// A port read from the environment and handed on (`server.start(process.env.PORT || 3333)`).
const envPortRead = /()((?:process\.env\.|\benv\.)[A-Z0-9_]*PORT\b.*)$/
const nodeConfigGet = /\.get\(\s*['"]((?:\w+\.)?port)['"]\s*\)/
// `process.env.X`, `env['X']`, `ENV_CONFIG.X`: the names an expression reads.
const readName = /(?:\.|\[\s*['"])([A-Z][A-Z0-9_]*)\b/g
const literal = /(?<![\w.])(\d{4,5})(?![\w.])/g

/** The env files the app loads: ones its code names by path (`configs/.env`), `.env`, the example. */
export function envFiles(repo: RepoProbe, example: EnvExample | undefined): EnvFile[] {
  const named = envFilesNamedIn(repo, repo.sourceFiles()).map((read) => read.file)
  return [...named, '.env', ...(example ? [example.file] : [])]
    .filter((file, i, all) => all.indexOf(file) === i && repo.has(file))
    .map((file) => ({ file, text: repo.read(file) ?? '', vars: repo.dotenv(file) }))
}

/** `NODE_SERVER_PORT=5000 in .env.example:1`, for the first of `names` an env file sets to a number. */
export function envPort(env: EnvFile[], names: string[]): PortChoice | undefined {
  for (const name of names) {
    for (const file of env) {
      const value = file.vars[name]
      if (!value || !/^\d{2,5}$/.test(value)) continue
      const line = file.text
        .split(/\r?\n/)
        .findIndex((l) => new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=`).test(l))
      return { port: Number(value), variable: name, why: `${name}=${value} in ${file.file}:${line + 1}` }
    }
  }
  return undefined
}

/** The value of a port expression: the first variable it reads that an env file sets, else its literal. */
export function portOfExpression(
  expression: string,
  env: EnvFile[],
  at: string,
  looked: string[],
): PortChoice | undefined {
  // `parseInt(process.env.PORT, 10)`: the radix is no port; a list `[a, b, 3001]` is one value.
  const text = expression.replace(/,\s*10\s*\)/g, ')')
  const value = text.startsWith('[') ? text.slice(0, text.indexOf(']') + 1) : text.split(/[,;{]|\/\//)[0]!
  const names = [...value.matchAll(readName)].map((m) => m[1]!)
  if (names.some((n) => otherService.test(n))) return undefined
  // Two variables (`[args.port, process.env.KUMA_PORT, process.env.PORT, 3001]`): no one of them moves it.
  const variable = names.length === 1 ? { variable: names[0]! } : {}
  const fromEnv = envPort(env, names)
  if (fromEnv) return { port: fromEnv.port, ...variable, why: `${fromEnv.why}, read at ${at}` }
  const numbers = [...value.matchAll(literal)].map((m) => Number(m[1])).filter((n) => n >= 1000 && n < 65536)
  const unset = names.length > 0 ? ` (${names.join(', ')} set in no env file)` : ''
  if (numbers.length > 0) return { port: numbers.at(-1)!, ...variable, why: `${at}${unset}` }
  if (names.length > 0) looked.push(`${at} reads ${names.join(', ')}, which no env file sets`)
  return undefined
}

/** The port in `entry` or the modules it imports (a few deep), then in the app's other server files. */
export function portInCode(
  repo: RepoProbe,
  example: EnvExample | undefined,
  entry: string,
  looked: string[],
): PortChoice | undefined {
  const env = envFiles(repo, example)
  const imported = importedFiles(repo, entry)
  looked.push(`${entry} and the ${imported.length - 1} module${imported.length === 2 ? '' : 's'} it imports`)
  const rest = otherServerFiles(repo, imported)
  for (const [files, strict] of [
    [imported, false],
    [rest, true],
  ] as const) {
    for (const file of files) {
      const lines = (repo.read(file) ?? '').split('\n')
      for (const [i, line] of lines.entries()) {
        const at = `${file}:${i + 1}`
        const key = nodeConfigGet.exec(line)?.[1]
        if (key) {
          const found = nodeConfigValue(repo, example, key)
          if (found) return { port: found.port, why: `${found.why}, read at ${at}` }
        }
        const m = portAssigned.exec(line) ?? listenCall.exec(line) ?? envPortRead.exec(line)
        if (!m || (m[1] && otherService.test(m[1]))) continue
        // Elsewhere than the entry's imports only a port read from the environment counts: a bare
        // `port: 5432` there may be any service's.
        if (
          strict &&
          !/\benv\b|\.listen\(/.test(m[0]) &&
          !/(?:\.|\[\s*['"])[A-Z][A-Z0-9_]*PORT\b/.test(m[2]!)
        )
          continue
        const found = portOfExpression(m[2]!, env, at, looked)
        if (found) return found
        // `app.listen(settings.http.listen)`: say what it listens on, for the note.
        if (!m[1] && !strict && m.input.includes('.listen('))
          looked.push(`${at} listens on ${m[2]!.split(/[,)]/)[0]}`)
      }
    }
  }
  if (rest.length > 0) looked.push('the server files of the app')
  return undefined
}

/** The app's server files beyond `imported`: not its client, migrations, scripts, tests or tools' configs. */
export function otherServerFiles(repo: RepoProbe, imported: readonly string[]): string[] {
  return repo
    .sourceFiles()
    .filter(
      (f) =>
        !imported.includes(f) && !/(^|\/)(client|frontend|web|ui|migrations?|seeders?|scripts)\//.test(f),
    )
    .filter(
      (f) =>
        !/knexfile|database|\bdb\b|sequelize|typeorm|mikro-orm|drizzle|redis|mail|vite|webpack|playwright|jest|vitest|\.(test|spec)\./i.test(
          f,
        ),
    )
}

/** `entry` and the local modules it imports, breadth first, a few levels deep. */
export function importedFiles(repo: RepoProbe, entry: string): string[] {
  const seen = [entry]
  const level = [0]
  for (let i = 0; i < seen.length && seen.length < 80; i++) {
    if (level[i]! >= 3) continue
    const file = seen[i]!
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : ''
    const text = repo.read(file) ?? ''
    for (const m of text.matchAll(
      /(?:require\(|import\(|\bfrom\s+|^import\s+)\s*["'](\.{1,2}\/[^"']+|#[^"']+)["']/gm,
    )) {
      const spec = m[1]!.startsWith('#') ? subpathImport(repo, m[1]!) : join(dir, m[1]!)
      const resolved = spec === undefined ? undefined : resolveModule(repo, spec)
      if (resolved && !seen.includes(resolved)) {
        seen.push(resolved)
        level.push(level[i]! + 1)
      }
    }
  }
  return seen
}

/**
 * `#configs/index.ts` through package.json's `imports` (`"#*": "./src/*"`): the app's own module,
 * as Node resolves it; a condition object's `node`, `import`, `default` target counts.
 */
function subpathImport(repo: RepoProbe, spec: string): string | undefined {
  const imports = repo.json('package.json')?.imports
  if (!imports || typeof imports !== 'object') return undefined
  for (const [key, value] of Object.entries(imports as Record<string, unknown>)) {
    const conditions = value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
    const target = [value, conditions.node, conditions.import, conditions.default].find(
      (t): t is string => typeof t === 'string' && t.startsWith('./'),
    )
    if (!target) continue
    const star = key.indexOf('*')
    if (star === -1) {
      if (key === spec) return join('', target)
      continue
    }
    const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)]
    if (spec.startsWith(prefix) && spec.endsWith(suffix) && spec.length >= key.length - 1)
      return join('', target.replace('*', spec.slice(prefix.length, spec.length - suffix.length)))
  }
  return undefined
}

function join(dir: string, spec: string): string {
  const parts = dir ? dir.split('/') : []
  for (const piece of spec.split('/')) {
    if (piece === '..') parts.pop()
    else if (piece !== '.') parts.push(piece)
  }
  return parts.join('/')
}

function resolveModule(repo: RepoProbe, base: string): string | undefined {
  const stem = base.replace(/\.[cm]?js$/, '')
  return [
    base,
    `${stem}.ts`,
    `${stem}.js`,
    `${stem}.mjs`,
    `${stem}.cjs`,
    `${stem}.mts`,
    `${base}/index.js`,
    `${base}/index.ts`,
  ].find((f) => /\.[cm]?[jt]s$/.test(f) && repo.has(f) && !repo.isDir(f))
}
