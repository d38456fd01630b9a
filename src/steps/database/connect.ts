// How the step reaches its database: a server's driver, or the SQLite file's reader.
import type { CheckContext } from '../define.js'
import { mysqlDriver } from './mysql.js'
import { postgresDriver } from './postgres.js'
import type { DatabaseConfig } from './schema.js'
import type { ServerDriver } from './server.js'
import { confinedSqlitePath } from './sqlite.js'
import { sqliteReader } from './sqlite-reader.js'
import type { Read } from './status.js'
import type { ServerTarget } from './target.js'

export async function driverFor(target: ServerTarget, env: Record<string, string>): Promise<ServerDriver> {
  return target.engine === 'postgres' ? postgresDriver(target, env) : mysqlDriver(target, env)
}

export function sqliteRead(file: string, shown: string): Read {
  return (fn) => fn(sqliteReader(file, shown))
}

/** A reader of the step's database, SQLite or server, without probing it first. */
export async function readOf(cfg: DatabaseConfig, ctx: CheckContext): Promise<Read> {
  const { target } = cfg
  if (target.engine === 'sqlite')
    return sqliteRead(confinedSqlitePath(target, ctx.root, ctx.cwd), target.file)
  return (await driverFor(target, ctx.env)).read
}
