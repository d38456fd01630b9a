// A config module resolved the way its tool resolves it: loaded by a child `node` with the example
// env's values, instead of guessed by regular expressions (`path.join(__dirname, ...)`,
// `process.env.DB_FILENAME || 'db/dev.sqlite3'`, a config built by a function).
//
// Where that is safe, and what falls back to static reading:
// - Only JavaScript (.js/.cjs/.mjs) is run; JSON is parsed. TypeScript (knexfile.ts, data-source.ts)
//   would need the project's compiler: those are read statically by their provider.
// - The child runs under Node's permission model: it may read the repository and nothing else; no
//   writes, no child processes, no workers, no native addons. Node 20's model does not cover the
//   network, so net/http/https/tls/dns/dgram/fetch throw inside the child (config-child.ts).
// - Its environment is the example env's values, PATH and NODE_ENV=development: nothing of the
//   person's shell (tokens, a production DATABASE_URL) reaches the repository's code.
// - 3 s at most, then killed. Packages not installed yet (a fresh clone) are permissive stubs; a
//   value that came from a stub is left out, so the provider reads it statically instead.
// - Anything else (a throw, a refused write, a timeout, no permission model in this Node): no
//   value, and the reason, which init shows; the provider reads the file statically.
import { spawnSync } from 'node:child_process'
import { realpathSync } from 'node:fs'
import path from 'node:path'
import { childProgram, resultMarker } from './config-child.js'
import type { EnvExample } from './env-example.js'
import { nodeConfig } from './node-config.js'
import type { RepoProbe } from './repo.js'

export interface LoadedConfig {
  /** The config file, relative to the repository. */
  file: string
  value: unknown
  /** Keys of the example env the config read, with their values. */
  envRead: Record<string, string>
  /** The example env file those values are from. */
  envFile: string | undefined
  /** Packages that were not installed and were stubbed. */
  stubbed: string[]
}

export type LoadResult = { ok: true; config: LoadedConfig } | { ok: false; reason: string }

export interface LoadOptions {
  /** The folder the tool runs in (knex's CLI: the knexfile's); default the repository. */
  cwd?: string
  timeoutMs?: number
}

/** Whether a file is one `loadConfig` resolves (others are read statically by their provider). */
export const isLoadable = (file: string): boolean => /\.(c|m)?js$|(^|\/)\.\w+rc$/.test(file) || isJson(file)
/** JSON, and a JSON example a config-examples step copies to the real name (`ormconfig.json.example`). */
const isJson = (file: string) => /\.json(\.(example|sample|dist|template))?$/.test(file)

export function loadConfig(
  repo: RepoProbe,
  file: string,
  example: EnvExample | undefined,
  options: LoadOptions = {},
): LoadResult {
  const fail = (reason: string): LoadResult => ({ ok: false, reason: `${file}: ${reason}` })
  if (!isLoadable(file)) return fail('not JavaScript or JSON: read statically')
  const base = { file, envRead: {}, envFile: example?.file, stubbed: [] }
  if (isJson(file)) {
    const value = repo.json(file)
    return value ? { ok: true, config: { ...base, value } } : fail('not valid JSON')
  }
  const flag = ['--permission', '--experimental-permission'].find((f) =>
    process.allowedNodeEnvironmentFlags.has(f),
  )
  if (!flag) return fail(`this Node (${process.version}) has no permission model: read statically`)
  let root: string
  try {
    root = realpathSync(repo.root)
  } catch {
    return fail('the repository cannot be read')
  }
  const vars = example?.vars ?? {}
  const settings = nodeConfig(repo, example)
  const timeout = options.timeoutMs ?? 3000
  const child = spawnSync(
    process.execPath,
    [flag, `--allow-fs-read=${root}`, '--no-warnings', '-e', childProgram, '--', path.join(root, file)],
    {
      cwd: options.cwd ? path.join(root, options.cwd) : root,
      env: {
        ...vars,
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'development',
        ...(settings ? { DEVSETUP_NODE_CONFIG: JSON.stringify(settings) } : {}),
      },
      timeout,
      killSignal: 'SIGKILL',
      encoding: 'utf8',
      maxBuffer: 4 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  if (child.error && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    return fail(`loading it did not finish within ${timeout / 1000} s: read statically`)
  const line = child.stdout?.split('\n').find((l) => l.startsWith(resultMarker))
  if (child.status !== 0 || !line) {
    const why = (child.stderr ?? '').split('\n').find((l) => /Error|denied|DENIED/.test(l)) ?? 'it failed'
    return fail(`loading it failed (${why.trim().slice(0, 160)}): read statically`)
  }
  const result = JSON.parse(line.slice(resultMarker.length)) as {
    value: unknown
    read: string[]
    stubbed: string[]
  }
  const envRead = Object.fromEntries(result.read.filter((k) => k in vars).map((k) => [k, vars[k]!]))
  return { ok: true, config: { ...base, value: result.value, envRead, stubbed: result.stubbed } }
}

/**
 * The example env key a value of a loaded config came from (`DB_FILENAME in .example.env`): a key
 * the config read whose value it is, or ends with (`path.join(__dirname, process.env.X)`).
 */
export function envSourceOf(config: LoadedConfig, value: unknown): string | undefined {
  const text = String(value)
  const key = Object.entries(config.envRead).find(
    ([, v]) => v !== '' && (v === text || (v.length > 2 && text.endsWith(`/${v.replace(/^\.\//, '')}`))),
  )?.[0]
  return key ? `${key} in ${config.envFile}` : undefined
}

/** ` from DB_FILENAME in .env.example`, or nothing when the value is the config's own. */
export const fromEnv = (config: LoadedConfig, value: unknown): string => {
  const source = envSourceOf(config, value)
  return source ? ` from ${source}` : ''
}

/** A path from a loaded config (absolute from `path.join(__dirname, …)`, or relative to `base`) relative to the repository. */
export function repoPath(repoRoot: string, base: string, value: string): string | undefined {
  let root: string
  try {
    root = realpathSync(repoRoot)
  } catch {
    root = repoRoot
  }
  const absolute = path.isAbsolute(value) ? value : path.join(root, base, value)
  const relative = path.relative(root, absolute).split(path.sep).join('/')
  // A path outside the repository is not the repository's to name.
  return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative || '.'
}
