// `init`: the servers a repository needs (PostgreSQL or MySQL for its database step, Redis for its Redis
// client), written as `service` steps whenever the app looks for them on this machine. What answers
// there now is not asked: the recipe is committed and shared, so whether a server already running
// can be used is decided on each machine when the step runs (it is used when it takes the URL's
// credentials). planServices is pure (repository facts in, steps out); withServices reads the facts.
import { localUrl } from './database-env.js'
import type { DetectedStep, Detection } from './detect.js'
import { type EnvExample, findEnvExample, whereIn } from './env-example.js'
import type { RepoProbe } from './repo.js'
import { filesMatching } from './source-files.js'

export interface ServiceFacts {
  /** REDIS_URL from .env.example (or similar), when there is one. */
  redisUrl: string | undefined
  /** Why the repository uses Redis (a client library, a compose service), if it does. */
  redisWhy: string | undefined
  /** Why no Redis although the example env names it (`REDIS_ENABLED=false in .env.example`, a REDIS_URL no code reads). */
  redisOff?: string | undefined
}

const redisClients = [
  'redis',
  'ioredis',
  'bullmq',
  'bull',
  '@redis/client',
  'sidekiq',
  'resque',
  'celery',
  'rq',
]
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

/** The service serves the database step's URL: DATABASE_URL (the short form reads it), else the step's literal one. */
function serviceConfig(engine: string, env: Record<string, string>, url: unknown): unknown {
  if (env.DATABASE_URL !== undefined || typeof url !== 'string' || url.includes('${')) return engine
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
    const url = envDefault(env.DATABASE_URL) ?? (typeof config.url === 'string' ? config.url : undefined)
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
    const address = localAddress(facts.redisUrl ?? 'redis://localhost:6379', 6379)
    if (address) {
      const step: DetectedStep = {
        slot: 'service:redis',
        type: 'service',
        config: 'redis',
        why: `${facts.redisWhy}: Redis on ${address}${usedWhenAccepted}`,
      }
      // Next to the PostgreSQL service: before the database step that migrates.
      const before = steps.findIndex((s) => s.type === 'database')
      steps.splice(before === -1 ? steps.length : before, 0, step)
      if (facts.redisUrl && !/[$}]/.test(facts.redisUrl)) env.REDIS_URL = `\${REDIS_URL:-${facts.redisUrl}}`
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
  const pkg = repo.json('package.json') as { dependencies?: object; devDependencies?: object } | undefined
  const deps = Object.keys({ ...pkg?.dependencies, ...pkg?.devDependencies })
  const npm = redisClients.find((c) => deps.includes(c))
  if (npm) return { url, why: `package.json uses ${npm}` }
  // `# gem "redis"` (a commented-out line, as `rails new` writes it) uses nothing; nor does a
  // commented-out compose service.
  const uncommented = (file: string) => (repo.read(file) ?? '').replace(/^\s*#.*$/gm, '')
  for (const file of ['Gemfile', 'requirements.txt', 'pyproject.toml']) {
    const text = uncommented(file)
    const lib = redisClients.find((c) => new RegExp(`(^|["'\\s])${c}\\b`, 'm').test(text))
    if (lib) return { url, why: `${file} uses ${lib}` }
  }
  const compose = composeRunningRedis(repo)
  if (compose) return { url, why: `${compose} runs Redis` }
  return {
    url,
    why: undefined,
    ...(url ? { off: `${whereIn(example!, ['REDIS_URL'])}, but no code or config of the app reads it` } : {}),
  }
}

// Code and config an app reads its env in (process.env.X, ENV.fetch("X") in config/cable.yml,
// os.environ["X"], custom-environment-variables.json); compose files set a container's env, they are no reader.
const codeOrConfig = /\.((c|m)?[jt]sx?|rb|erb|py|php|go|exs?|ya?ml|json|toml)$/
const notReaders =
  /(^|\/)((docker-)?compose[^/]*\.ya?ml|package(-lock)?\.json|tsconfig[^/]*\.json|[^/]*\.lock)$/

/** `file:line` of the first code or config file that names `key`, or undefined. */
function codeReading(repo: RepoProbe, key: string, exampleFile: string): string | undefined {
  const named = new RegExp(`\\b${key}\\b`)
  for (const file of filesMatching(repo.root, codeOrConfig)) {
    if (file === exampleFile || notReaders.test(file)) continue
    const lines = (repo.read(file) ?? '').split('\n')
    const at = lines.findIndex((line) => named.test(line))
    if (at >= 0) return `${file}:${at + 1}`
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
