// TypeORM: its CLI needs the data source file, which only the project's own script names, so the
// migrate command is the project's (`migration:run`); the migrations folder is found on disk.
import { defineProvider } from '../provider.js'
import { findMigrationsDir, withPackageScripts } from './node.js'

export const typeorm = defineProvider({
  name: 'typeorm',
  detect: ({ repo }) => repo.nodeDependencies().typeorm !== undefined,
  contribute: ({ repo, example }) => {
    const dir = findMigrationsDir(repo)
    return { databaseCommands: withPackageScripts(repo, dir ? { migrations: `${dir}/**` } : {}, example) }
  },
})
