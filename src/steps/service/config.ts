// The `service` step's keys, and the server a step asks for: engine, port, role, database.
// The URL is the contract with the app: when the recipe (or the step's env) has one, the
// service serves exactly that URL; without one, devsetup picks a port and hands the URL on.
import * as z from 'zod'
import { maskUrls } from '../../engine/mask.js'

export type ServiceEngine = 'postgres' | 'redis' | 'mysql'

// MariaDB and MySQL are one engine: whichever server binaries the machine has.
const aliases: Record<string, ServiceEngine> = { postgresql: 'postgres', mariadb: 'mysql' }

// An enum, so editors complete it.
const engineName = z.enum(['postgres', 'postgresql', 'redis', 'mysql', 'mariadb'])

const objectForm = z.strictObject({
  engine: engineName.describe('postgres, redis, or mysql (also MariaDB)'),
  version: z
    .union([z.number().int(), z.string().regex(/^\d+$/, 'a major version, like 16')])
    .transform(String)
    .optional()
    .describe('PostgreSQL major version (default: the newest installed; a cluster keeps its own)'),
  url: z
    .string()
    .min(1)
    .optional()
    .describe('The URL to serve (default: the variable named by `urlVar`, if set)'),
  urlVar: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional()
    .describe('The variable that holds the URL, and that later steps get (DATABASE_URL / REDIS_URL)'),
  createDatabase: z
    .boolean()
    .optional()
    .describe("Also create the URL's database (default false: a `database` step creates and seeds it)"),
  compose: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The Docker Compose service to use when Docker runs (default: the one with a postgres/redis/mysql image)',
    ),
  docker: z.boolean().optional().describe('false: never use Docker Compose, always the local binaries'),
})

export const serviceSchema = z
  .union([engineName.transform((engine) => ({ engine })), objectForm])
  .describe(
    'A development server for this repository: `postgres`, `redis`, `mysql`, or { engine, version, url, ... }',
  )
  .transform((raw): ServiceConfig => {
    const engine = normalize(raw.engine)
    const o = raw as z.output<typeof objectForm>
    return {
      engine,
      version: o.version,
      url: o.url,
      urlVar: o.urlVar ?? (engine === 'redis' ? 'REDIS_URL' : 'DATABASE_URL'),
      createDatabase: o.createDatabase ?? false,
      compose: o.docker === false ? false : o.compose,
    }
  })

export interface ServiceConfig {
  engine: ServiceEngine
  version: string | undefined
  url: string | undefined
  urlVar: string
  createDatabase: boolean
  compose: string | false | undefined
}

function normalize(value: string): ServiceEngine {
  return aliases[value] ?? (value as ServiceEngine)
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
  mysql: ['mysql:', 'mysql2:', 'mariadb:'],
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
  if (engine === 'postgres') return env.PGUSER || env.USER || undefined
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
