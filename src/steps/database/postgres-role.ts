// The role a PostgreSQL URL names, when it does not exist yet: a fresh clone's .env says
// `postgres://root:secret@127.0.0.1/api`, and the developer's server has no role `root`.
// PostgreSQL answers a login as a missing role with the same "password authentication
// failed" as a wrong password, so the only way to tell them apart is to ask the server as
// someone else: an admin connection. Where from, in order (the first that connects wins):
//   1. PGUSER / PGPASSWORD (/ PGHOST / PGPORT): the standard libpq way a developer says who
//      they are, for tools that are not the app;
//   2. the server's Unix socket (PGHOST when it is a folder, /var/run/postgresql, /tmp), as
//      the OS user and then as `postgres`: Homebrew and Postgres.app trust local logins;
//      Debian's peer auth lets the OS user in once `createuser -s $USER` was run.
// The role is created (LOGIN CREATEDB, the URL's password) only when it is missing and the
// admin may (superuser or CREATEROLE); an existing role is never altered: its password is
// a person's, and a wrong one stays their error to fix.
import { existsSync } from 'node:fs'
import { userInfo } from 'node:os'
import path from 'node:path'
import type { Client, ClientConfig } from 'pg'
import type { ServerTarget } from './target.js'

export type RoleStatus =
  | { admin: undefined }
  | { admin: string; exists: boolean; mayCreate: boolean; client: Client; config: ClientConfig }

const localHosts = new Set(['localhost', '127.0.0.1', '::1'])

/** Connections that may administer the server `target` points at, most explicit first. */
export function adminCandidates(target: ServerTarget, env: Record<string, string>): ClientConfig[] {
  const candidates: ClientConfig[] = []
  const base = {
    database: 'postgres',
    connectionTimeoutMillis: 3000,
    application_name: 'devsetup',
    ssl: false,
  }
  const port = env.PGPORT ? Number(env.PGPORT) : target.port
  if (env.PGUSER && env.PGUSER !== target.user) {
    const host = env.PGHOST ?? target.host
    candidates.push({ ...base, user: env.PGUSER, host, port, password: env.PGPASSWORD ?? '' })
  }
  if (!localHosts.has(target.host) && !target.host.startsWith('/')) return candidates
  const dirs = [env.PGHOST?.startsWith('/') ? env.PGHOST : '', '/var/run/postgresql', '/tmp']
  const osUser = env.USER ?? osUsername()
  for (const dir of new Set(dirs.filter(Boolean))) {
    if (!existsSync(path.join(dir, `.s.PGSQL.${target.port}`))) continue
    for (const user of new Set([osUser, 'postgres'].filter(Boolean) as string[])) {
      if (user !== target.user) candidates.push({ ...base, user, host: dir, port: target.port })
    }
  }
  return candidates
}

/** The first admin connection that works, and what it knows of the URL's role. Read-only. */
export async function roleStatus(target: ServerTarget, env: Record<string, string>): Promise<RoleStatus> {
  if (!target.user) return { admin: undefined }
  const pg = (await import('pg')).default
  for (const config of adminCandidates(target, env)) {
    const client = new pg.Client(config)
    client.on('error', () => {})
    try {
      await client.connect()
    } catch {
      await client.end().catch(() => {})
      continue
    }
    try {
      const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [target.user])
      const me = await client.query<{ may: boolean }>(
        'SELECT rolsuper OR rolcreaterole AS may FROM pg_roles WHERE rolname = current_user',
      )
      const admin = `${config.user}@${config.host}`
      return { admin, exists: (role.rowCount ?? 0) > 0, mayCreate: Boolean(me.rows[0]?.may), client, config }
    } catch {
      await client.end().catch(() => {})
    }
  }
  return { admin: undefined }
}

/** CREATE ROLE for the URL's user through an admin connection; true when it was created here. */
export async function createRole(target: ServerTarget, env: Record<string, string>): Promise<boolean> {
  const status = await roleStatus(target, env)
  if (status.admin === undefined) return false
  try {
    if (status.exists || !status.mayCreate) return false
    // Utility statements take no bind parameters: the password is quoted as a literal.
    const password = target.password === undefined ? '' : ` PASSWORD ${quoteLiteral(target.password)}`
    await status.client.query(`CREATE ROLE ${quoteIdent(target.user!)} LOGIN CREATEDB${password}`)
    await grantSchema(status.config, target)
    return true
  } catch (error) {
    if ((error as { code?: string }).code === '42710') return false // created meanwhile
    throw error
  } finally {
    await status.client.end().catch(() => {})
  }
}

/**
 * The URL's database may already exist, owned by someone else (an app that uses the `postgres`
 * database): since PostgreSQL 15 only its owner may create tables in `public`. The role we just
 * made for this URL gets the owner's CREATE rights there (database and `public`), and nothing more; a database the step creates later
 * is the role's own.
 */
async function grantSchema(admin: ClientConfig, target: ServerTarget): Promise<void> {
  const pg = (await import('pg')).default
  const client = new pg.Client({ ...admin, database: target.name })
  client.on('error', () => {})
  try {
    await client.connect()
    // CREATE on the database too: schemas, and trusted extensions (uuid-ossp, pgcrypto) migrations add.
    await client.query(`GRANT CREATE ON DATABASE ${quoteIdent(target.name)} TO ${quoteIdent(target.user!)}`)
    await client.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${quoteIdent(target.user!)}`)
  } catch {
    // No such database yet (the step creates it, owned by the role), or no schema `public`.
  } finally {
    await client.end().catch(() => {})
  }
}

/** The SQL a person runs to create the role by hand (the password stays a placeholder). */
export function createRoleSql(user: string): string {
  return `CREATE ROLE ${quoteIdent(user)} LOGIN CREATEDB PASSWORD '…';`
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

export function osUsername(): string | undefined {
  try {
    return userInfo().username
  } catch {
    return undefined
  }
}
