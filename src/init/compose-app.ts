// The app's own service in its docker compose file (`build: .`, the repository's image, or the
// service that depends on the database and publishes a port): the environment it runs with and
// the health check docker runs on it. A repository without an example env file often documents
// its variables only there (and in a README table): the `environment:` is then what the app
// needs to boot, and the `healthcheck:` URL names its health route.
import path from 'node:path'
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import { engineOf } from './database-env.js'
import type { RepoProbe } from './repo.js'

export const composeFiles = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml']

type Spec = Record<string, unknown>

export interface ComposeFile {
  file: string
  services: Record<string, Spec>
  /** The 1-based line of a node by its path (`['services', 'app', 'environment', 'PORT']`). */
  lineOf(...keys: string[]): number | undefined
}

export interface ComposeApp {
  file: string
  service: string
  /** `docker-compose.yml:27 (build: .)`: which service and why it is the app's. */
  why: string
  /** The environment, `${VAR:-default}` resolved to the default. */
  env: Record<string, string>
  /** Keys whose value comes from the shell with no default (`${JWT_SECRET}`, or a bare `- JWT_SECRET`). */
  fromShell: string[]
  lineOf(key: string): number | undefined
  /** The database service it depends on, by name. */
  database?: string
}

export function readCompose(repo: RepoProbe): ComposeFile | undefined {
  const file = repo.first(composeFiles)
  const text = file ? repo.read(file) : undefined
  if (!file || text === undefined) return undefined
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, merge: true })
  if (doc.errors.length > 0) return undefined
  const services = (doc.toJS() as { services?: Record<string, Spec> } | null)?.services
  if (!services || typeof services !== 'object') return undefined
  // A map's key, or a list's `KEY=value` item (`environment:` in list form).
  const lineOf = (...keys: string[]) => {
    const parent = doc.getIn(keys.slice(0, -1), true) as Node | undefined
    const key = keys.at(-1)!
    const node = isMap(parent)
      ? (parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key)?.key as Node | undefined)
      : isSeq(parent)
        ? (parent.items as Node[]).find((n) => isScalar(n) && String(n.value).split('=')[0] === key)
        : undefined
    const at = node?.range?.[0]
    return at === undefined ? undefined : lineCounter.linePos(at).line
  }
  return { file, services, lineOf }
}

/** A service that is infrastructure, not the app: a database, cache, mail catcher, proxy, queue. */
const infrastructure =
  /^(redis|valkey|memcached|keydb|dragonfly|mailhog|mailpit|maildev|mailcatcher|smtp4dev|rabbitmq|nats|kafka|zookeeper|elasticsearch|opensearch|meilisearch|typesense|minio|localstack|nginx|traefik|caddy|haproxy|adminer|pgadmin4?|phpmyadmin|mongo|clickhouse|influxdb|grafana|prometheus|jaeger|otel)/

const imageName = (spec: Spec) =>
  typeof spec.image === 'string' ? (spec.image.split(':')[0]!.split('/').pop() ?? '') : ''

/** The database engine a service runs (`postgres:16`, `bitnami/mysql`), if it is one. */
export function serviceEngine(spec: Spec): ReturnType<typeof engineOf> {
  const image = imageName(spec)
  return image ? engineOf(image) : undefined
}

const isInfrastructure = (spec: Spec) =>
  serviceEngine(spec) !== undefined || infrastructure.test(imageName(spec))

const dependsOn = (spec: Spec): string[] =>
  Array.isArray(spec.depends_on)
    ? spec.depends_on.map(String)
    : spec.depends_on && typeof spec.depends_on === 'object'
      ? Object.keys(spec.depends_on)
      : []

/** The app's own service and why; undefined when none, or when two fit equally (then init does not guess). */
export function composeApp(repo: RepoProbe, compose = readCompose(repo)): ComposeApp | undefined {
  if (!compose) return undefined
  const { file, services } = compose
  const entries = Object.entries(services).filter(
    ([, spec]) => spec && typeof spec === 'object' && !isInfrastructure(spec),
  )
  const databases = Object.keys(services).filter((name) => serviceEngine(services[name] ?? {}))
  const pkg = String(repo.json('package.json')?.name ?? '').replace(/^@[^/]+\//, '')
  const rules: [string, (name: string, spec: Spec) => string | undefined][] = [
    ['build', (_, spec) => buildsRepo(repo, file, spec)],
    ['image', (_, spec) => (pkg && imageName(spec) === pkg ? `image ${String(spec.image)}` : undefined)],
    [
      'depends_on',
      (_, spec) => {
        const db = dependsOn(spec).find((d) => databases.includes(d))
        const ports = Array.isArray(spec.ports) ? spec.ports.map(String) : []
        return db && ports.length > 0 ? `depends on ${db} and publishes ${ports.join(', ')}` : undefined
      },
    ],
  ]
  for (const [key, rule] of rules) {
    const fits = entries.flatMap(([name, spec]) => {
      const why = rule(name, spec)
      return why ? [{ name, spec, why }] : []
    })
    if (fits.length > 1) return undefined
    const [fit] = fits
    if (!fit) continue
    const at = compose.lineOf('services', fit.name, key === 'depends_on' ? 'depends_on' : key)
    const { env, fromShell } = serviceEnv(fit.spec.environment)
    const database = dependsOn(fit.spec).find((d) => databases.includes(d)) ?? databases[0]
    return {
      file,
      service: fit.name,
      why: `${file}:${at ?? compose.lineOf('services', fit.name)} (service ${fit.name}: ${fit.why})`,
      env,
      fromShell,
      lineOf: (k) => compose.lineOf('services', fit.name, 'environment', k),
      ...(database ? { database } : {}),
    }
  }
  return undefined
}

/** `build: .` or `build: { context: ./server }` inside the repository: `build: .`. */
function buildsRepo(repo: RepoProbe, file: string, spec: Spec): string | undefined {
  const build = spec.build
  const context =
    typeof build === 'string' ? build : ((build as { context?: unknown } | undefined)?.context ?? undefined)
  if (typeof context !== 'string') return undefined
  const dir = path.posix.normalize(path.posix.join(path.posix.dirname(file), context))
  if (dir.startsWith('..') || !repo.isDir(dir)) return undefined
  return `build: ${context}`
}

/** A service's `environment:`, map or list form; `${VAR:-default}` and `${VAR-default}` give the default. */
export function serviceEnv(raw: unknown): { env: Record<string, string>; fromShell: string[] } {
  const pairs: [string, string | undefined][] = Array.isArray(raw)
    ? raw.map((e) => {
        const [key, ...rest] = String(e).split('=')
        return [key!, rest.length > 0 ? rest.join('=') : undefined]
      })
    : Object.entries((raw ?? {}) as object).map(([k, v]) => [k, v === null ? undefined : String(v)])
  const env: Record<string, string> = {}
  const fromShell: string[] = []
  for (const [key, value] of pairs) {
    const resolved = value === undefined ? undefined : withDefaults(value)
    if (resolved === undefined) fromShell.push(key)
    else env[key] = resolved
  }
  return { env, fromShell }
}

/** `${X:-d}` → d; `$$` → `$`; undefined when a `${X}` / `$X` has no default (compose takes it from the shell). */
function withDefaults(value: string): string | undefined {
  let unknown = false
  const out = value.replace(/\$\$|\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g, (all, _braced, fallback) => {
    if (all === '$$') return '$'
    if (fallback === undefined) unknown = true
    return fallback ?? ''
  })
  return unknown ? undefined : out
}

/**
 * The health route the app's service's `healthcheck:` asks (`wget … http://localhost:3000/auth/isConfigured`),
 * when it asks the port the dev server listens on (`port`, or the value the compose env gives the
 * variable the app reads it from): a route the app's authors check, where `/` may be a login page.
 */
export function composeHealthRoute(
  repo: RepoProbe,
  port: { port: number; variable?: string },
): { route: string; why: string } | undefined {
  const compose = readCompose(repo)
  const app = composeApp(repo, compose)
  if (!compose || !app) return undefined
  const test = (compose.services[app.service]?.healthcheck as { test?: unknown } | undefined)?.test
  const command = Array.isArray(test) ? test.map(String).join(' ') : typeof test === 'string' ? test : ''
  const url = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::(\d+))?(\/[^\s'"|;&)]*)?/.exec(command)
  if (!url?.[2] || url[2] === '/') return undefined
  const asked = Number(url[1] ?? 80)
  const envPort = port.variable ? Number(app.env[port.variable]) : undefined
  if (asked !== port.port && asked !== envPort) return undefined
  const line = compose.lineOf('services', app.service, 'healthcheck')
  return {
    route: url[2],
    why: `, health route ${url[2]} (${compose.file}:${line}, service ${app.service}'s healthcheck; none in its code)`,
  }
}
