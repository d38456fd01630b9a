// An app whose own executable CLI at the root sets it up and starts it (NodeBB's `./nodebb setup`
// / `./nodebb start`): what that CLI defines, read from the CLI and the files it loads — its
// commands, the environment variables its setup answers from, the config file it writes, the
// pidfile its start writes and the port it defaults to — each with the file:line it came from.
import { statSync } from 'node:fs'
import path from 'node:path'
import type { RepoProbe } from './repo.js'

export interface Where {
  file: string
  line: number
}
export type EnvRole =
  | 'url'
  | 'port'
  | 'admin-user'
  | 'admin-password'
  | 'admin-email'
  | 'db'
  | 'db-host'
  | 'db-port'

export interface OwnCli {
  /** The executable at the root: `nodebb`. */
  cli: string
  /** The CLI and the files it loads, in the order they were followed. */
  files: string[]
  setup: Where
  start: Where
  /** Its code runs the package manager itself (installs what it copied to the root). */
  installs?: Where
  config?: { file: string; at: Where }
  pidfile?: { file: string; at: Where }
  port?: { port: number; at: Where }
  /** The file its server writes its own output to (NodeBB: logs/output.log), and whether that is a default its config may change. */
  log?: { file: string; at: Where; byDefault: boolean }
  env: { name: string; role: EnvRole; at: Where }[]
}

/** The first executable file at the root (shebang node or sh) that defines both `setup` and `start`. */
export function findOwnCli(repo: RepoProbe): OwnCli | undefined {
  for (const name of repo.list('.')) {
    if (!isExecutableScript(repo, name)) continue
    const files = followed(repo, name)
    const setup = commandAt(repo, files, 'setup')
    const start = commandAt(repo, files, 'start')
    if (!setup || !start) continue
    const found: OwnCli = { cli: name, files, setup, start, env: envNames(repo, files, name) }
    const installs = firstMatch(
      repo,
      files,
      /\bnpm(?:\.cmd)?['"`]?\s*,?\s*\[?\s*['"`]?(?:install|ci)\b|\binstallAll\b/,
    )
    if (installs) found.installs = installs.at
    const config = configFile(repo, files)
    if (config) found.config = config
    const pid = firstMatch(repo, files, /['"`]([\w./-]*\bpid(?:file)?|[\w./-]+\.pid)['"`]/)
    if (pid) found.pidfile = { file: pid.match.replace(/^\.\//, ''), at: pid.at }
    const port = firstMatch(repo, files, /(?:\b|_)port\b['"`)\]]*\s*(?:\|\||\?\?|:-)\s*['"]?(\d{2,5})\b/i)
    if (port) found.port = { port: Number(port.match), at: port.at }
    const log = appLog(repo, files)
    if (log) found.log = log
    return found
  }
  return undefined
}

export const where = (at: Where) => `${at.file}:${at.line}`

function isExecutableScript(repo: RepoProbe, name: string): boolean {
  try {
    const stats = statSync(path.join(repo.root, name))
    if (!stats.isFile() || (stats.mode & 0o111) === 0 || stats.size > 200_000) return false
  } catch {
    return false
  }
  return /^#!.*\b(node|sh|bash)\b/.test(repo.read(name) ?? '')
}

// `require('./src/cli')`, `import … from '../install'`, `exec node "$(dirname "$0")/src/cli.js"`.
const loads =
  /(?:require\(|from\s+|import\()\s*['"`](\.{1,2}\/[^'"`]+)['"`]|["'/)]((?:\.\/)?[\w-]+(?:\/[\w.-]+)*\.[cm]?js)\b/g

/** The CLI and what it loads, a few hops deep (NodeBB: nodebb → src/cli → src/cli/setup → src/install). */
function followed(repo: RepoProbe, cli: string): string[] {
  const files = [cli]
  for (let i = 0; i < files.length && files.length < 80; i++) {
    const file = files[i]!
    const text = repo.read(file) ?? ''
    const fromDir = file === cli ? '.' : path.posix.dirname(file)
    for (const match of text.matchAll(loads)) {
      const spec = match[1] ?? match[2]!
      const base = match[1] ? path.posix.join(fromDir, spec) : path.posix.normalize(spec)
      const resolved = [base, `${base}.js`, `${base}/index.js`].find(
        (f) => !f.startsWith('..') && /\.[cm]?js$/.test(f) && repo.has(f) && !repo.isDir(f),
      )
      if (resolved && !files.includes(resolved)) files.push(resolved)
    }
  }
  return files
}

/** `.command('setup …')` (commander, yargs), `case 'setup':`, or a shell `setup)` branch. */
function commandAt(repo: RepoProbe, files: string[], name: string): Where | undefined {
  const pattern = new RegExp(
    `\\.command\\(\\s*['"\`]${name}\\b|case\\s+['"\`]${name}['"\`]\\s*:|^\\s*["']?${name}["']?(\\s*\\|[^)]*)?\\)`,
    'm',
  )
  return firstMatch(repo, files, pattern)?.at
}

/** The first line in `files` that matches (RepoProbe.firstMatch), with where it is. */
function firstMatch(
  repo: RepoProbe,
  files: string[],
  pattern: RegExp,
): { match: string; at: Where } | undefined {
  const found = repo.firstMatch(files, pattern)
  return found && { match: found.match, at: { file: found.file, line: found.line } }
}

/** The file its setup writes: a config file named in its code that .gitignore keeps out of the repository. */
function configFile(repo: RepoProbe, files: string[]): { file: string; at: Where } | undefined {
  const ignored = new Set(
    (repo.read('.gitignore') ?? '').split('\n').map((line) => line.trim().replace(/^\//, '')),
  )
  // 'config.json' in JS, `> settings.yml` in a shell script
  const names = /(?:^|[\s'"`>/(,])([\w-]+\.(?:json|ya?ml|toml|ini|conf))(?![\w.])/g
  for (const file of files) {
    const lines = (repo.read(file) ?? '').split('\n')
    for (let i = 0; i < lines.length; i++)
      for (const match of lines[i]!.matchAll(names))
        if (ignored.has(match[1]!) && !/^(package(-lock)?|composer|tsconfig)\.json$/.test(match[1]!))
          return { file: match[1]!, at: { file, line: i + 1 } }
  }
  return undefined
}

// A `.log` path its code names: `nconf.get('logFile') || 'logs/output.log'` (NodeBB's loader),
// `path.join(baseDir, 'logs', 'output.log')` (the literal segments joined; not a flag such as
// `tail -F`'s), or a shell redirect `> shop.log 2>&1`.
const logPath = /((?:['"`][\w.][\w.-]*['"`]\s*,\s*)*['"`][\w./-]+\.log['"`])|>>?\s*["']?[\w./-]+\.log\b/g
// A setting read first, the file only its fallback: `config.logFile || '…'`, `${LOG:-…}`.
const fallback = /(?:\|\||\?\?|:-)\s*$/

/**
 * Where its server writes its own output, when its code names a file inside the repository:
 * the one a setting falls back to (the loader that opens it) before one merely mentioned
 * (NodeBB's `./nodebb log` tails the same file, in a file the CLI loads first).
 */
function appLog(repo: RepoProbe, files: string[]): OwnCli['log'] {
  let first: OwnCli['log']
  for (const file of files) {
    const lines = (repo.read(file) ?? '').split('\n')
    for (let i = 0; i < lines.length; i++)
      for (const match of lines[i]!.matchAll(logPath)) {
        const parts = [...match[0].matchAll(/[\w./-]+/g)].map((m) => m[0])
        const name = path.posix.normalize(parts.join('/')).replace(/^\.\//, '')
        if (name.startsWith('..') || path.posix.isAbsolute(name)) continue
        const found = {
          file: name,
          at: { file, line: i + 1 },
          byDefault: fallback.test(lines[i]!.slice(0, match.index)),
        }
        if (found.byDefault) return found
        first ??= found
      }
  }
  return first
}

const roles: [EnvRole, RegExp][] = [
  ['admin-password', /_ADMIN_PASSWORD$/],
  ['admin-email', /_ADMIN_EMAIL$/],
  ['admin-user', /_ADMIN_(USERNAME|USER|NAME)$/],
  ['db-host', /_DB_HOST$/],
  ['db-port', /_DB_PORT$/],
  ['db', /_(DB|DATABASE)(_TYPE)?$/],
  ['url', /^(?!.*(DB|DATABASE|REDIS|MONGO))[A-Z0-9]+_URL$/],
  ['port', /^(?!.*(DB|DATABASE|REDIS|MONGO))[A-Z0-9]+_PORT$/],
]

/** The environment variables its setup reads, one per role; the CLI's own prefix (NODEBB_) first. */
function envNames(repo: RepoProbe, files: string[], cli: string): OwnCli['env'] {
  const prefix = `${cli.toUpperCase().replace(/\W/g, '_')}_`
  const seen: OwnCli['env'] = []
  for (const file of files) {
    const lines = (repo.read(file) ?? '').split('\n')
    for (let i = 0; i < lines.length; i++)
      for (const match of lines[i]!.matchAll(
        /\b(?:process\.env\.|['"`]?)([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g,
      )) {
        const name = match[1]!
        const role = roles.find(([, pattern]) => pattern.test(name))?.[0]
        if (role && !seen.some((s) => s.name === name)) seen.push({ name, role, at: { file, line: i + 1 } })
      }
  }
  const own = (name: string) => (name.startsWith(prefix) ? 0 : 1)
  return roles.flatMap(([role]) =>
    seen
      .filter((s) => s.role === role)
      .sort((a, b) => own(a.name) - own(b.name))
      .slice(0, 1),
  )
}
