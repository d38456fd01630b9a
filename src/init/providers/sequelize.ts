// Sequelize: its CLI with the folders .sequelizerc names; a seed only when seeders exist.
import { defineProvider } from '../provider.js'
import { withPackageScripts } from './node.js'

export const sequelize = defineProvider({
  name: 'sequelize',
  detect: ({ repo }) => repo.nodeDependencies()['sequelize-cli'] !== undefined || repo.has('.sequelizerc'),
  contribute: ({ repo, example }) => {
    const rc = repo.read('.sequelizerc') ?? ''
    const rcDir = (key: string, fallback: string) => {
      const match = new RegExp(`['"]${key}['"]\\s*:\\s*path\\.resolve\\(([^)]*)\\)`).exec(rc)?.[1]
      const parts = match?.match(/['"]([^'"]+)['"]/g)?.map((p) => p.slice(1, -1))
      return parts && parts.length > 0 ? parts.join('/').replace(/^\.\//, '') : fallback
    }
    const migrations = rcDir('migrations-path', 'migrations')
    const seeders = rcDir('seeders-path', 'seeders')
    const hasSeeds = repo.list(seeders).some((f) => /\.(c|m)?[jt]s$/.test(f))
    const tool = {
      migrate: 'npx sequelize-cli db:migrate',
      migrations: `${migrations}/**`,
      ...(hasSeeds ? { seed: 'npx sequelize-cli db:seed:all' } : {}),
    }
    return { databaseCommands: withPackageScripts(repo, tool, example) }
  },
})
