// MySQL and MariaDB through `mysql2`, loaded only when a database step talks to MySQL.
import type { Connection, ConnectionOptions } from 'mysql2/promise'
import {
  address,
  type DatabaseReader,
  networkFailure,
  type Row,
  type ServerDriver,
  ServerProblem,
  unreachable,
} from './server.js'
import type { ServerTarget } from './target.js'

const connectTimeoutMs = 3000

export async function mysqlDriver(target: ServerTarget, env: Record<string, string>): Promise<ServerDriver> {
  const mysql = (await import('mysql2/promise')).default
  const user = target.user ?? env.USER ?? 'root'
  // Only options mysql2 knows: it prints a warning to stderr for any other.
  const options: ConnectionOptions = { user, connectTimeout: connectTimeoutMs }
  if (target.host.startsWith('/')) options.socketPath = target.host
  else Object.assign(options, { host: target.host, port: target.port })
  if (target.password !== undefined) options.password = target.password

  const connect = async (database?: string): Promise<Connection> => {
    const connection = await mysql.createConnection(database ? { ...options, database } : options)
    connection.on('error', () => {})
    return connection
  }

  return {
    async probe() {
      let connection: Connection
      try {
        connection = await connect(target.name)
      } catch (error) {
        if (codeOf(error) === 'ER_BAD_DB_ERROR') return { exists: false }
        throw classify(error, target, user)
      }
      await connection.end().catch(() => {})
      // MySQL has no stable id for a database (no oid): a recreated one looks the same.
      return { exists: true, identity: undefined }
    },

    async read(fn) {
      const connection = await connect(target.name).catch((error) => {
        throw classify(error, target, user)
      })
      try {
        return await fn(mysqlReader(connection))
      } catch (error) {
        throw error instanceof ServerProblem ? error : classify(error, target, user)
      } finally {
        await connection.end().catch(() => {})
      }
    },

    async create() {
      const connection = await connect().catch((error) => {
        throw classify(error, target, user)
      })
      try {
        await connection.query(`CREATE DATABASE ${quoteIdent(target.name)}`)
        return true
      } catch (error) {
        if (codeOf(error) === 'ER_DB_CREATE_EXISTS') return false
        throw classify(error, target, user)
      } finally {
        await connection.end().catch(() => {})
      }
    },
  }
}

function mysqlReader(connection: Connection): DatabaseReader {
  return {
    async tables() {
      const [rows] = await connection.query(
        `SELECT table_name AS name, GROUP_CONCAT(column_name ORDER BY ordinal_position SEPARATOR ',') AS columns
         FROM information_schema.columns WHERE table_schema = DATABASE() GROUP BY table_name ORDER BY table_name`,
      )
      return (rows as { name: string; columns: string }[]).map((r) => ({
        name: r.name,
        columns: r.columns.split(','),
      }))
    },
    async rows(table, columns) {
      const [rows] = await connection.query(
        `SELECT ${columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(table.name)}`,
      )
      return rows as Row[]
    },
  }
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string })?.code
}

function classify(error: unknown, target: ServerTarget, user: string): ServerProblem {
  const network = networkFailure(error)
  if (network) return unreachable(target, network)
  const code = codeOf(error)
  const message = (error as Error)?.message ?? String(error)
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_NOT_SUPPORTED_AUTH_MODE') {
    return new ServerProblem(
      'auth',
      `authentication failed for user "${user}" at ${address(target)}: ${message}`,
      "check the user and password in the database step's url",
    )
  }
  if (code === 'ER_DBACCESS_DENIED_ERROR' || code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR') {
    return new ServerProblem(
      'denied',
      `user "${user}" may not create or use database "${target.name}": ${message}`,
      `as root, grant it: GRANT ALL PRIVILEGES ON \`${target.name}\`.* TO '${user}'@'%';`,
    )
  }
  return new ServerProblem('other', `MySQL at ${address(target)}: ${message}${code ? ` (${code})` : ''}`)
}

function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``
}
