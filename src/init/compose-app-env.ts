// The env of a repository without an example env file, from its app's compose service
// (compose-app.ts): what the app needs to boot (Jellystat exits without POSTGRES_* and JWT_SECRET),
// written to the recipe's top-level `env:`, which every step and the started dev server get.
// Hosts of compose services devsetup runs here become 127.0.0.1, and the keys beside them (the
// same prefix: POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD) take the values of devsetup's own
// server, so the app connects to the database the database step checks. Everything else is
// `${KEY:-value}`: a developer's shell wins. With an example env file the dotenv step is the source.
import { isSecretName } from '../engine/mask.js'
import { composeApp, readCompose, serviceEngine } from './compose-app.js'
import { hostKey, hostOf, type Kind, kindOf, schemes, servicesHere } from './compose-hosts.js'
import { isComposeHost } from './database-env.js'
import type { Detection } from './detect.js'
import { envDefault, firstRunUrl, localAddress } from './detect-services.js'
import type { RepoProbe } from './repo.js'

const defaultPorts: Record<Kind, number> = { postgres: 5432, mysql: 3306, redis: 6379 }
// The container's own machine, not the app's settings: this machine has its clock and users.
const containerOnly = /^(TZ|PUID|PGID|UID|GID|UMASK|HOME|PATH)$/
const productionMode = /^(NODE_ENV|RAILS_ENV|RACK_ENV|APP_ENV|FLASK_ENV|MIX_ENV|ENVIRONMENT)$/

export function withComposeAppEnv(detection: Detection, repo: RepoProbe): Detection {
  if (detection.example) return detection
  const compose = readCompose(repo)
  const app = composeApp(repo, compose)
  if (!compose || !app) return detection
  const at = (key: string) => `${app.file}:${app.lineOf(key) ?? '?'}`
  const runs = servicesHere(detection)
  const database = databaseUrl(detection)
  const databaseKind = database ? schemes[database.protocol.slice(0, -1)] : undefined
  // Compose service names → what they run: `POSTGRES_IP: jellystat-db` is the postgres service.
  const hostKinds: Record<string, Kind> = {}
  for (const [name, spec] of Object.entries(compose.services)) {
    const engine = spec ? serviceEngine(spec) : undefined
    const kind = engine ? schemes[engine] : /(redis|valkey)/.test(String(spec?.image)) ? 'redis' : undefined
    if (kind) hostKinds[name] = kind
  }
  const local = (kind: Kind): URL | undefined =>
    kind === databaseKind
      ? database
      : kind === 'redis'
        ? new URL(`redis://${localAddress(envDefault(detection.env.REDIS_URL), 6379) ?? '127.0.0.1:6379'}`)
        : undefined
  const env: Record<string, string> = {}
  const why: Record<string, string> = {}
  const notes: string[] = []
  const left: string[] = []
  // The keys that name a server devsetup runs here, and the prefix of the keys beside them.
  const groups = new Map<string, Kind>()
  for (const [key, value] of Object.entries(app.env)) {
    const found = hostOf(key, value)
    if (!found || !isComposeHost(found.host)) continue
    const kind = hostKinds[found.host] ?? kindOf(key, found, databaseKind)
    const server = kind && runs.has(kind) ? local(kind) : undefined
    if (!kind || !server) {
      notes.push(
        `${key}=${value} in ${at(key)} points at \`${found.host}\`, a host that does not exist here (a docker compose service devsetup does not run): not in the recipe's env`,
      )
      left.push(key)
      continue
    }
    env[key] = found.scheme ? withPort(found.local, server.port || defaultPorts[kind]) : '127.0.0.1'
    why[key] =
      `${at(key)}: ${value} → this machine's ${kind} (the ${kind === databaseKind ? 'database' : 'service'} step's)`
    if (!found.scheme) groups.set(key.replace(hostKey, ''), kind)
  }
  for (const [key, value] of Object.entries(app.env)) {
    if (key in env || left.includes(key) || key in detection.env) continue
    // NODE_ENV=production in every step's env would also make `npm ci` skip the dev dependencies.
    const production = productionMode.test(key) && /^prod/i.test(value)
    if (containerOnly.test(key) || production) {
      const what = production ? "the image's production mode" : "the container's own setting"
      notes.push(`${key}=${value} in ${at(key)} is ${what}, not a dev machine's: not in the recipe's env`)
      continue
    }
    const prefix = [...groups.keys()].find((p) => p !== '' && key.startsWith(p))
    const kind = prefix !== undefined ? groups.get(prefix) : undefined
    const server = kind ? local(kind) : undefined
    const own = server ? serverValue(key.slice(prefix!.length), server, kind!) : undefined
    if (own !== undefined) {
      env[key] = own
      why[key] =
        `${at(key)}: ${own === value ? value : `${value} → ${own}`}, as the ${kind} server devsetup runs`
      continue
    }
    // A default ends at the first `}`, and `${` would be read as a variable of the recipe.
    if (/[{}]/.test(value)) {
      notes.push(`${key} in ${at(key)} holds braces, which a recipe default cannot: set it in your shell`)
      continue
    }
    env[key] = `\${${key}:-${value}}`
    why[key] = isSecretName(key)
      ? `${at(key)}: the compose file's sample secret, for a dev machine only (a generated one cannot live in a committed recipe); your shell's ${key} wins`
      : at(key)
  }
  for (const key of app.fromShell)
    notes.push(
      `${key} in ${at(key)} has no value (docker compose takes it from the shell): set it in your shell`,
    )
  if (Object.keys(env).length === 0) return { ...detection, notes: [...detection.notes, ...notes] }
  // In the compose file's order, as a reader compares them.
  const ordered = Object.fromEntries(Object.keys(app.env).flatMap((k) => (k in env ? [[k, env[k]!]] : [])))
  notes.unshift(
    `env: ${Object.keys(ordered).join(', ')} from the environment of the app's compose service, ${app.why}: the repository has no example env file`,
  )
  return {
    ...detection,
    env: { ...detection.env, ...ordered },
    envWhy: { ...detection.envWhy, ...why },
    notes: [...detection.notes, ...notes],
  }
}

/** The database step's URL (its `url:` as the first run reads it, or the recipe's DATABASE_URL default). */
function databaseUrl(detection: Detection): URL | undefined {
  const config = detection.steps.find((s) => s.type === 'database')?.config as { url?: unknown } | undefined
  const raw = typeof config?.url === 'string' ? config.url : undefined
  const url = firstRunUrl(detection, raw) ?? envDefault(detection.env.DATABASE_URL)
  try {
    return url && !url.includes('${') ? new URL(url) : undefined
  } catch {
    return undefined
  }
}

/** POSTGRES_PORT, _USER, _PASSWORD, _DB beside POSTGRES_HOST: devsetup's server's own value. */
function serverValue(field: string, server: URL, kind: Kind): string | undefined {
  if (/^_?PORT$/.test(field)) return server.port || String(defaultPorts[kind])
  if (kind === 'redis') return undefined
  if (/^_?(USER|USERNAME)$/.test(field) && server.username) return decodeURIComponent(server.username)
  if (/^_?(PASS|PASSWORD)$/.test(field) && server.password) return decodeURIComponent(server.password)
  if (/^_?(DB|DATABASE|NAME|DB_NAME)$/.test(field)) return decodeURIComponent(server.pathname.slice(1))
  return undefined
}

function withPort(url: string, port: string | number): string {
  const parsed = new URL(url)
  parsed.port = String(port)
  return parsed.toString()
}
