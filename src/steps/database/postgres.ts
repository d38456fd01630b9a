// PostgreSQL through `pg`, loaded only when a database step talks to PostgreSQL.
import type { Client, ClientConfig } from 'pg'
import { createRole, createRoleSql, osUsername, roleStatus } from './postgres-role.js'
import {
  address,
  type DatabaseReader,
  networkFailure,
  type ServerDriver,
  ServerProblem,
  unreachable,
} from './server.js'
import type { ServerTarget } from './target.js'

const connectTimeoutMs = 3000

export async function postgresDriver(
  target: ServerTarget,
  env: Record<string, string>,
): Promise<ServerDriver> {
  const pg = (await import('pg')).default
  // Resolved here from the step's env (not pg's process.env defaults) so errors name the real user.
  // libpq (and so an app's pg driver) logs in as the OS user when nothing names one: not 'postgres'.
  const user = target.user ?? env.PGUSER ?? env.USER ?? osUsername() ?? 'postgres'
  const base = clientConfig(target, user, env)
  // The role to create is the one we log in as, also when the URL names none (PGUSER, $USER).
  const asUser = { ...target, user }

  const connect = async (database: string): Promise<Client> => {
    const client = new pg.Client({ ...base, database })
    // An idle client's socket error must not crash devsetup; the query that follows reports it.
    client.on('error', () => {})
    try {
      await client.connect()
      return client
    } catch (error) {
      await client.end().catch(() => {})
      throw error
    }
  }

  return {
    async probe() {
      let client: Client
      try {
        client = await connect(target.name)
      } catch (error) {
        if (codeOf(error) === '3D000') return { exists: false }
        const problem = classify(error, target, user)
        throw problem.kind === 'auth' ? await missingRole(problem, asUser, env) : problem
      }
      try {
        // The database's oid tells a dropped-and-recreated database from the one we migrated.
        const result = await client.query<{ oid: string }>(
          'SELECT oid::text AS oid FROM pg_database WHERE datname = current_database()',
        )
        return { exists: true, identity: result.rows[0]?.oid }
      } finally {
        await client.end().catch(() => {})
      }
    },

    async read(fn) {
      const client = await connect(target.name).catch((error) => {
        throw classify(error, target, user)
      })
      try {
        return await fn(postgresReader(client))
      } catch (error) {
        throw error instanceof ServerProblem ? error : classify(error, target, user)
      } finally {
        await client.end().catch(() => {})
      }
    },

    async createRole() {
      if (!(await createRole(asUser, env))) return undefined
      return `created role ${user} (LOGIN CREATEDB, the url's password)`
    },

    async create() {
      let client: Client
      try {
        client = await connect('postgres')
      } catch (error) {
        if (codeOf(error) !== '3D000') throw classify(error, target, user)
        client = await connect('template1').catch((e) => {
          throw classify(e, target, user)
        })
      }
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(target.name)}`)
        return true
      } catch (error) {
        if (codeOf(error) === '42P04') return false
        throw classify(error, target, user)
      } finally {
        await client.end().catch(() => {})
      }
    },
  }
}

/** Tables from the catalog (one query, fast also on big schemas), search_path's schemas first. */
function postgresReader(client: Client): DatabaseReader {
  return {
    async tables() {
      const result = await client.query<{ schema: string; name: string; columns: string[] }>(
        `SELECT n.nspname AS schema, c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           AND n.nspname NOT LIKE 'pg\\_toast%'
         GROUP BY n.nspname, c.relname
         ORDER BY coalesce(array_position(current_schemas(false), n.nspname), 1000), 1, 2`,
      )
      return result.rows
    },
    async rows(table, columns) {
      const from = `${table.schema ? `${quoteIdent(table.schema)}.` : ''}${quoteIdent(table.name)}`
      return (await client.query(`SELECT ${columns.map(quoteIdent).join(', ')} FROM ${from}`)).rows
    },
  }
}

function clientConfig(target: ServerTarget, user: string, env: Record<string, string>): ClientConfig {
  const params = target.fromUrl ? new URL(target.url).searchParams : new URLSearchParams()
  const sslmode = params.get('sslmode') ?? env.PGSSLMODE
  const config: ClientConfig = {
    host: target.host,
    port: target.port,
    user,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'devsetup',
  }
  const password = target.password ?? env.PGPASSWORD
  if (password !== undefined) config.password = password
  if (sslmode && sslmode !== 'disable' && sslmode !== 'allow' && sslmode !== 'prefer') {
    config.ssl = { rejectUnauthorized: sslmode === 'verify-full' || sslmode === 'verify-ca' }
  } else {
    config.ssl = false
  }
  return config
}

/**
 * An authentication failure, told apart (through an admin connection, read-only) from a role
 * that does not exist: PostgreSQL words both the same. Without an admin, both fixes are given.
 */
async function missingRole(
  problem: ServerProblem,
  target: ServerTarget,
  env: Record<string, string>,
): Promise<ServerProblem> {
  const user = target.user
  if (!user) return problem
  const status = await roleStatus(target, env).catch(() => ({ admin: undefined }) as const)
  if (status.admin !== undefined) await status.client.end().catch(() => {})
  if (status.admin !== undefined && status.exists) return problem
  const create = createRoleSql(user)
  if (status.admin === undefined)
    return new ServerProblem(
      'auth',
      `${problem.message} (the role may not exist)`,
      `if role "${user}" does not exist, create it as a superuser: \`${create}\` (the url's password), or give devsetup an admin login in PGUSER/PGPASSWORD so \`devsetup up\` creates it; if it exists, check the password in the url`,
    )
  return new ServerProblem(
    'auth',
    `role "${user}" does not exist at ${address(target)}`,
    status.mayCreate
      ? `\`devsetup up\` creates it (as ${status.admin}), or as a superuser: \`${create}\``
      : `as a superuser: \`${create}\` (the url's password); ${status.admin} may not create roles`,
  )
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string })?.code
}

function classify(error: unknown, target: ServerTarget, user: string): ServerProblem {
  const network = networkFailure(error)
  if (network) return unreachable(target, network)
  const code = codeOf(error)
  const message = (error as Error)?.message ?? String(error)
  if (code === '57P03')
    return new ServerProblem('starting', `PostgreSQL at ${address(target)} is starting up`)
  if (code === '28P01' || code === '28000') {
    return new ServerProblem(
      'auth',
      `authentication failed for user "${user}" at ${address(target)}${/authentication failed for user/.test(message) ? '' : `: ${message}`}`,
      `check the user and password in the database step's url (or PGPASSWORD); to set one: ALTER ROLE "${user}" PASSWORD '...';`,
    )
  }
  if (/client password must be a string|SASL/i.test(message)) {
    return new ServerProblem(
      'auth',
      `authentication failed for user "${user}" at ${address(target)}: the server wants a password and none was given`,
      'put the password in the url (postgres://user:password@host/name) or in PGPASSWORD',
    )
  }
  if (code === '42501') {
    return new ServerProblem(
      'denied',
      `user "${user}" may not create database "${target.name}": ${message}`,
      `as a superuser, allow it: \`ALTER ROLE "${user}" CREATEDB;\`, or create it for them: \`createdb -O ${user} ${target.name}\``,
    )
  }
  return new ServerProblem('other', `PostgreSQL at ${address(target)}: ${message}${code ? ` (${code})` : ''}`)
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}
