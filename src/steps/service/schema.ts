// The `service` step's keys (src/steps/service.ts; the config's type and meaning: config.ts).
import * as z from 'zod'
import type { ServiceConfig, ServiceEngine } from './config.js'

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
    .describe('The URL to serve (default: the variable named by `url_var`, if set)'),
  url_var: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional()
    .describe('The variable that holds the URL, and that later steps get (DATABASE_URL / REDIS_URL)'),
  create_database: z
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

export const schema = z
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
      urlVar: o.url_var ?? (engine === 'redis' ? 'REDIS_URL' : 'DATABASE_URL'),
      createDatabase: o.create_database ?? false,
      compose: o.docker === false ? false : o.compose,
    }
  })

function normalize(value: string): ServiceEngine {
  return aliases[value] ?? (value as ServiceEngine)
}
