// The `service` step's config (its schema: schema.ts), and the server a step asks for: engine,
// port, role, database.
// The URL is the contract with the app: when the recipe (or the step's env) has one, the
// service serves exactly that URL; without one, devsetup picks a port and hands the URL on.

import { maskUrls } from '../../engine/mask.js'
import { osUsername } from '../database/postgres-role.js'

export type ServiceEngine = 'postgres' | 'redis' | 'mysql'

export interface ServiceConfig {
  engine: ServiceEngine
  version: string | undefined
  url: string | undefined
  urlVar: string
  createDatabase: boolean
  compose: string | false | undefined
}

/** What the server must offer. `port` undefined: devsetup picks one (and records it). */
export interface Wanted {
  port: number | undefined
  user: string | undefined
  password: string | undefined
  database: string | undefined
  /** Where the URL came from, for reasons ("DATABASE_URL", "url"). */
  source: string | undefined
}

const defaultPorts: Record<ServiceEngine, number> = { postgres: 5432, redis: 6379, mysql: 3306 }
const schemes: Record<ServiceEngine, string[]> = {
  postgres: ['postgres:', 'postgresql:'],
  redis: ['redis:'],
  mysql: ['mysql:', 'mysql2:', 'mariadb:', 'trilogy:'],
}
const localHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1', ''])

export class WantedError extends Error {}

/** Reads the wanted server from `url` or the URL variable; throws WantedError on a URL it cannot serve. */
export function resolveWanted(cfg: ServiceConfig, env: Record<string, string>): Wanted {
  const text = cfg.url ?? env[cfg.urlVar]
  const source = cfg.url !== undefined ? 'url' : cfg.urlVar
  if (!text) return { port: undefined, user: undefined, password: undefined, database: undefined, source }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new WantedError(`${source} is not a URL: ${maskUrls(text)}`)
  }
  if (!schemes[cfg.engine].includes(url.protocol))
    throw new WantedError(`${source} (${maskUrls(text)}) is not a ${cfg.engine} URL`)
  if (!localHosts.has(url.hostname))
    throw new WantedError(
      `${source} points at ${url.hostname}, not this machine: a service runs locally (localhost, 127.0.0.1)`,
    )
  const decode = (s: string) => (s ? decodeURIComponent(s) : undefined)
  const path = decode(url.pathname.slice(1))
  return {
    port: url.port ? Number(url.port) : defaultPorts[cfg.engine],
    // No user in the URL: clients connect as PGUSER (postgres) or the login name, so that user must exist.
    user: decode(url.username) ?? defaultUser(cfg.engine, env),
    password: decode(url.password),
    // Redis's path is a database number, not something to create.
    database: cfg.engine === 'redis' ? undefined : path,
    source,
  }
}

function defaultUser(engine: ServiceEngine, env: Record<string, string>): string | undefined {
  // libpq logs in as the OS user when nothing names one (USER may be unset: a service, a CI job).
  if (engine === 'postgres') return env.PGUSER || env.USER || osUsername()
  // mysql2 and the `database` step connect as $USER when the URL names nobody.
  if (engine === 'mysql') return env.USER || 'root'
  return undefined
}

/** The URL devsetup hands on when the recipe gave none. */
export function generatedUrl(engine: ServiceEngine, port: number): string {
  if (engine === 'postgres') return `postgres://postgres@127.0.0.1:${port}/postgres`
  // No database: MySQL has no empty default one to offer, and `mysql` is the system's.
  if (engine === 'mysql') return `mysql://root@127.0.0.1:${port}`
  return `redis://127.0.0.1:${port}/0`
}
