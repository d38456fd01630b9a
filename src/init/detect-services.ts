// `init`: the servers a repository needs (PostgreSQL or MySQL for its database step, Redis for its Redis
// client), written as `service` steps whenever the app looks for them on this machine. What answers
// there now is not asked: the recipe is committed and shared, so whether a server already running
// can be used is decided on each machine when the step runs (it is used when it takes the URL's
// credentials). planServices is pure (repository facts in, steps out); withServices reads the facts.
import { firstRunValue, localUrl } from './database-env.js'
import type { DetectedStep, Detection } from './detect.js'
import { type EnvExample, findEnvExample, whereIn } from './env-example.js'
import { redisAddressKeys } from './redis-address.js'
import type { RepoProbe } from './repo.js'
import { filesMatching } from './source-files.js'
import { developmentPart } from './yaml-development.js'

export interface ServiceFacts {
  /** REDIS_URL from .env.example (or similar), when there is one. */
  redisUrl: string | undefined
  /** Why the repository uses Redis (a client library, a compose service), if it does. */
  redisWhy: string | undefined
  /** Why no Redis although the example env names it (`REDIS_ENABLED=false in .env.example`, a REDIS_URL no code reads). */
  redisOff?: string | undefined
}

// A client library (redis, ioredis) among the dependencies is no use of Redis by itself: uptime-kuma
// has one for its Redis monitor type, a feature pointed at someone else's server. A job framework
// that runs only on Redis (Sidekiq, Resque, RQ, Bull, BullMQ) is: it connects when the app boots,
// to the URL it reads itself (Sidekiq's REDIS_URL), so the app's own code may never name it.
const redisOnlyFrameworks = ['bullmq', 'bull', 'sidekiq', 'resque', 'rq']
const redisClients = ['redis', 'ioredis', '@redis/client', 'celery', ...redisOnlyFrameworks]
const local = new Set(['localhost', '127.0.0.1', '[::1]'])

/** host:port a URL points at, when it is this machine (a remote server is not ours to start). */
export function localAddress(url: string | undefined, defaultPort: number): string | undefined {
  if (!url) return undefined
  try {
    const u = new URL(url)
    return local.has(u.hostname) ? `127.0.0.1:${u.port || defaultPort}` : undefined
  } catch {
    return undefined
  }
}

/** The URL inside a recipe env value: `${DATABASE_URL:-postgres://...}` → postgres://... */
export function envDefault(value: string | undefined): string | undefined {
  return value?.match(/^\$\{[A-Z_]+:-(.*)\}$/)?.[1] ?? value
}

/** The database engines a `service` step can start: where their clients look by default. */
const servers: Record<string, { engine: string; name: string; url: string; port: number }> = {
  postgres: { engine: 'postgres', name: 'PostgreSQL', url: 'postgres://localhost/x', port: 5432 },
  mysql: { engine: 'mysql', name: 'MySQL/MariaDB', url: 'mysql://localhost/x', port: 3306 },
}

/**
 * The URL a recipe value (the database step's `url:`, `${MYSQL_USER}`… referring to the dotenv
 * step's file) names on the first run, for what init reads back from its own steps.
 */
export function firstRunUrl(detection: Detection, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const dotenv = detection.steps.find((s) => s.type === 'dotenv')?.config as { set?: Record<string, string> }
  // A dotenv step's file is read first, then the files the server loads itself (server-env-database.ts).
  return firstRunValue(value, detection.example, { ...detection.serverEnv, ...dotenv?.set })
}

/**
 * The service serves the database step's URL: the recipe's DATABASE_URL (the short form reads
 * it), else the step's own `url:` as written — `${KEY}` references to .env included, so the
 * server takes the credentials the app's .env names.
 */
function serviceConfig(engine: string, env: Record<string, string>, url: unknown): unknown {
  if (env.DATABASE_URL !== undefined || typeof url !== 'string') return engine
  return { engine, url }
}

/** Said in the recipe, so a reader knows the step does not start a second server beside one that works. */
const usedWhenAccepted = " (one already there is used if it takes the URL's credentials)"

export function planServices(detection: Detection, facts: ServiceFacts): Detection {
  const steps = [...detection.steps]
  const env = { ...detection.env }
  const notes = [...detection.notes]
  const at = steps.findIndex((s) => s.type === 'database')
  const database = steps[at]
  const config = (database?.config ?? {}) as Record<string, unknown>
  const server = database ? servers[config.engine as string] : undefined
  if (database && server) {
    const url = envDefault(env.DATABASE_URL) ?? firstRunUrl(detection, config.url as string | undefined)
    const address = localAddress(url ?? server.url, server.port)
    if (address) {
      steps.splice(at, 0, {
        slot: `service:${server.engine}`,
        type: 'service',
        config: serviceConfig(server.engine, env, config.url),
        why: `the database step needs ${server.name} on ${address}${usedWhenAccepted}`,
      })
      // The service step runs compose itself when Docker is there, and the local binaries otherwise.
      if (typeof config.start === 'string' && config.start.startsWith('docker compose up')) {
        const { start: _dropped, ...rest } = config
        steps[at + 1] = { ...database, config: rest }
      }
    }
  }
  if (facts.redisOff) notes.push(`${facts.redisOff}: no \`service: redis\` step`)
  if (facts.redisWhy) {
    const dotenv = steps.some((s) => s.type === 'dotenv')
    const split = !facts.redisUrl && dotenv ? redisAddressKeys(detection.example) : undefined
    const where = split ? firstRunValue(split.url, detection.example) : facts.redisUrl
    const address = localAddress(where ?? 'redis://localhost:6379', 6379)
    // The example's REDIS_URL is the app's, read from .env: the service reads it there too
    // (`${REDIS_URL}`, and hands it on), rather than a recipe-level literal that would shadow an
    // edit of .env in every command the app runs.
    const literal = facts.redisUrl !== undefined && !/[$}]/.test(facts.redisUrl)
    const fromFile = literal && dotenv
    if (address) {
      const step: DetectedStep = {
        slot: 'service:redis',
        type: 'service',
        config: fromFile
          ? // biome-ignore lint/suspicious/noTemplateCurlyInString: the recipe's ${VAR} syntax
            { engine: 'redis', url: '${REDIS_URL}' }
          : split
            ? { engine: 'redis', url: split.url }
            : 'redis',
        why: `${facts.redisWhy}: Redis on ${address}${split ? ` (${split.keys.join(', ')} in .env)` : ''}${usedWhenAccepted}`,
      }
      // Next to the PostgreSQL service: before the database step that migrates.
      const before = steps.findIndex((s) => s.type === 'database')
      steps.splice(before === -1 ? steps.length : before, 0, step)
      if (literal && !fromFile) env.REDIS_URL = `\${REDIS_URL:-${facts.redisUrl}}`
    }
  }
  return { ...detection, steps, env, notes }
}

/**
 * Why the repository uses Redis, from its example env (the one detection found, whatever it is
 * called), its dependency manifests and its compose file.
 */
export function redisUse(
  repo: RepoProbe,
  example: EnvExample | undefined = findEnvExample(repo),
): {
  url: string | undefined
  why: string | undefined
  off?: string
} {
  // `REDIS_ENABLED=false`: the app runs without it, so no server is started for it.
  const off = Object.entries(example?.vars ?? {}).find(
    ([key, value]) => /REDIS.*ENABLE|USE_REDIS/.test(key) && /^(false|0|no|off)$/i.test(value),
  )
  if (off)
    return {
      url: undefined,
      why: undefined,
      off: `${off[0]}=${off[1]} in ${example!.file}:${example!.lines[off[0]]}`,
    }
  // A compose host (`redis://redis:6379`) is this machine's Redis once devsetup runs one.
  const raw = example?.vars.REDIS_URL
  const url = raw ? localUrl(raw) : undefined
  // The example's key is use only when the app reads it (medusa's .env.template has REDIS_URL,
  // medusa-config.ts never reads it and the app runs a fake Redis).
  const reader = url ? codeReading(repo, 'REDIS_URL', example!.file) : undefined
  if (reader) return { url, why: `${whereIn(example!, ['REDIS_URL'])}, read by ${reader}` }
  // The app's code or config says where its Redis is: an env key naming its host or URL
  // (cnpmcore's CNPMCORE_REDIS_HOST, outline's REDIS_URL), or a config file's redis block.
  const reads = redisKeyReader(repo, example?.file) ?? redisConfigBlock(repo)
  if (reads) return { url, why: reads }
  const framework = dependency(repo, redisOnlyFrameworks)
  if (framework) return { url, why: `${framework.file} uses ${framework.lib}, which runs only on Redis` }
  const compose = composeRunningRedis(repo)
  if (compose) return { url, why: `${compose} runs Redis` }
  const client = dependency(repo, redisClients)
  const unread = url
    ? `${whereIn(example!, ['REDIS_URL'])}, but no code or config of the app reads it`
    : client &&
      `${client.file} has ${client.lib}, but no code or config of the app reads a Redis URL or host (a client alone may serve a feature pointed at another server)`
  return { url, why: undefined, ...(unread ? { off: unread } : {}) }
}

/** The first of `libs` the app depends on, and the manifest that lists it. */
function dependency(repo: RepoProbe, libs: readonly string[]): { lib: string; file: string } | undefined {
  const pkg = repo.json('package.json') as { dependencies?: object; devDependencies?: object } | undefined
  const deps = Object.keys({ ...pkg?.dependencies, ...pkg?.devDependencies })
  const npm = libs.find((c) => deps.includes(c))
  if (npm) return { lib: npm, file: 'package.json' }
  // `# gem "redis"` (a commented-out line, as `rails new` writes it) uses nothing.
  for (const file of ['Gemfile', 'requirements.txt', 'pyproject.toml']) {
    const text = (repo.read(file) ?? '').replace(/^\s*#.*$/gm, '')
    const lib = libs.find((c) => new RegExp(`(^|["'\\s])${c}\\b`, 'm').test(text))
    if (lib) return { lib, file }
  }
  return undefined
}

// Code and config an app reads its env in (process.env.X, ENV.fetch("X") in config/cable.yml,
// os.environ["X"], custom-environment-variables.json); compose files set a container's env, they are no reader.
const codeOrConfig = /\.((c|m)?[jt]sx?|rb|erb|py|php|go|exs?|ya?ml|json|toml)$/
const notReaders =
  /(^|\/)((docker-)?compose[^/]*\.ya?ml|package(-lock)?\.json|tsconfig[^/]*\.json|[^/]*\.lock|devsetup\.[^/]*)$|^\.github\//

/** The first line of a code or config file that `named` matches, and its `file:line`. */
function codeLine(
  repo: RepoProbe,
  named: RegExp,
  exampleFile: string | undefined,
): { at: string; line: string } | undefined {
  for (const file of codeAndConfigFiles(repo)) {
    if (file === exampleFile || notReaders.test(file)) continue
    const lines = developmentPart(file, repo.read(file) ?? '').split('\n')
    const at = lines.findIndex((line) => named.test(line))
    if (at >= 0) return { at: `${file}:${at + 1}`, line: lines[at]! }
  }
  return undefined
}

// Where an app reads its settings (env.ts, environment.service.ts, config.default.ts, redis.ts): walked
// first, since the walk stops at a few hundred files and a big app's front end may fill them
// before its server's env.ts (outline).
const settingsFile = /(^|[._-])(env|environment|config|configuration|settings|redis)[._-][^/]*$/i

function codeAndConfigFiles(repo: RepoProbe): string[] {
  return [
    ...new Set([...filesMatching(repo.root, settingsFile), ...filesMatching(repo.root, codeOrConfig)]),
  ].filter((file) => codeOrConfig.test(file))
}

/** `file:line` of the first code or config file that names `key`, or undefined. */
function codeReading(repo: RepoProbe, key: string, exampleFile: string): string | undefined {
  return codeLine(repo, new RegExp(`\\b${key}\\b`), exampleFile)?.at
}

// An env key that says where Redis is (REDIS_URL, REDIS_HOST, CNPMCORE_REDIS_PORT,
// REDIS_COLLABORATION_URL), not one of its settings (REDIS_KEY_PREFIX).
const redisAddressKey =
  /\b(?:[A-Z][A-Z0-9]*_)*REDIS(?:_[A-Z0-9]+)*_(?:URL|URI|HOST|HOSTNAME|PORT|ADDR|ADDRESS|SENTINELS?)\b/

function redisKeyReader(repo: RepoProbe, exampleFile: string | undefined): string | undefined {
  const found = codeLine(repo, redisAddressKey, exampleFile)
  return found && `${found.line.match(redisAddressKey)![0]} read by ${found.at}`
}

// `config.redis = { client: { host, port } }` (an Egg config), `redis: { url }` in config/default.json,
// `adapter: redis` in config/cable.yml (its development section: developmentPart): a config file
// of the app says where its Redis is.
const redisBlock = /\bredis['"]?\s*[:=]\s*\{[^}]*?\b(host|url|port)\b|\badapter:\s*redis\b/is

function redisConfigBlock(repo: RepoProbe): string | undefined {
  for (const file of filesMatching(repo.root, codeOrConfig)) {
    if (notReaders.test(file) || !/(^|\/)(config|settings)|config\.[^/]+$/.test(file)) continue
    const text = developmentPart(file, repo.read(file) ?? '')
    const found = redisBlock.exec(text)
    if (found) return `${file}:${text.slice(0, found.index).split('\n').length} configures Redis`
  }
  return undefined
}

/** The compose file that runs a Redis (or Valkey) image, not in a commented-out service. */
export function composeRunningRedis(repo: RepoProbe): string | undefined {
  const uncommented = (file: string) => (repo.read(file) ?? '').replace(/^\s*#.*$/gm, '')
  return ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'].find((file) =>
    /image:\s*["']?(redis|valkey)\b/m.test(uncommented(file)),
  )
}

/** The hook for `init`: adds the service steps the repository needs (from its files only). */
export function withServices(detection: Detection, repo: RepoProbe): Detection {
  const redis = redisUse(repo, detection.example)
  return planServices(detection, { redisUrl: redis.url, redisWhy: redis.why, redisOff: redis.off })
}
