// TypeORM: its CLI needs the data source file, which only the project's own script names, so the
// migrate command is the project's (`migration:run`). The database and migrations folder come from
// an ormconfig (typeorm-config.ts) when there is one; else the folder is found on disk.
import { defineProvider } from '../provider.js'
import { findMigrationsDir, withPackageScripts } from './node.js'
import { ormConfig } from './typeorm-config.js'

export const typeorm = defineProvider({
  name: 'typeorm',
  detect: ({ repo }) => repo.nodeDependencies().typeorm !== undefined,
  contribute: (ctx) => {
    const { repo, example } = ctx
    const orm = ormConfig(ctx)
    const dir = orm?.migrations ?? findMigrationsDir(repo)
    const tool = {
      ...(dir ? { migrations: `${dir}/**` } : {}),
      ...(orm?.migrationsTable ? { migrations_table: orm.migrationsTable } : {}),
    }
    return {
      ...(orm?.database ? { database: orm.database } : {}),
      databaseCommands: withPackageScripts(repo, tool, example),
      notes: orm?.notes ?? [],
    }
  },
})
