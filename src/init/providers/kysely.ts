// Kysely: no CLI of its own (kysely-ctl aside), so the migrate command is the project's script
// (`migration:latest`, `migrate:latest`) or kysely-ctl's; the folder is found on disk and the
// database check reads its kysely_migration table.
import { defineProvider } from '../provider.js'
import { findMigrationsDir, withPackageScripts } from './node.js'

export const kysely = defineProvider({
  name: 'kysely',
  detect: ({ repo }) => repo.nodeDependencies().kysely !== undefined,
  contribute: ({ repo, example }) => {
    const dir = findMigrationsDir(repo)
    const ctl = repo.nodeDependencies()['kysely-ctl'] !== undefined
    const tool = {
      ...(ctl ? { migrate: 'npx kysely migrate:latest' } : {}),
      ...(dir ? { migrations: `${dir}/**` } : {}),
    }
    return { databaseCommands: withPackageScripts(repo, tool, example) }
  },
})
