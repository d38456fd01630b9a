// Sequelize: its CLI with the folders .sequelizerc names (loaded, else read statically); the
// database its config's development block names (sequelize-config.ts); a seed only when seeders
// exist. Without the CLI, the database its code names (`new Sequelize({ storage })`,
// sequelize-code.ts) and the app's own script that builds the tables (`sequelize.sync()`).
import { defineProvider } from '../provider.js'
import { withPackageScripts } from './node.js'
import { sequelizeInCode } from './sequelize-code.js'
import { sequelizeSetup } from './sequelize-config.js'

export const sequelize = defineProvider({
  name: 'sequelize',
  detect: ({ repo }) => {
    const deps = repo.nodeDependencies()
    return deps['sequelize-cli'] !== undefined || deps.sequelize !== undefined || repo.has('.sequelizerc')
  },
  contribute: (ctx) => {
    const { repo, example } = ctx
    if (repo.nodeDependencies()['sequelize-cli'] === undefined && !repo.has('.sequelizerc')) {
      const { database, notes } = sequelizeInCode(ctx)
      return {
        ...(database ? { database } : {}),
        databaseCommands: withPackageScripts(repo, {}, example),
        notes,
      }
    }
    const setup = sequelizeSetup(ctx)
    const rc = repo.read('.sequelizerc') ?? ''
    const rcDir = (key: string, fallback: string) => {
      const match = new RegExp(`['"]${key}['"]\\s*:\\s*path\\.resolve\\(([^)]*)\\)`).exec(rc)?.[1]
      const parts = match?.match(/['"]([^'"]+)['"]/g)?.map((p) => p.slice(1, -1))
      return parts && parts.length > 0 ? parts.join('/').replace(/^\.\//, '') : fallback
    }
    const migrations = setup.migrations ?? rcDir('migrations-path', 'migrations')
    const seeders = setup.seeders ?? rcDir('seeders-path', 'seeders')
    const hasSeeds = repo.list(seeders).some((f) => /\.(c|m)?[jt]s$/.test(f))
    const tool = {
      migrate: 'npx sequelize-cli db:migrate',
      migrations: `${migrations}/**`,
      ...(hasSeeds ? { seed: 'npx sequelize-cli db:seed:all' } : {}),
    }
    return {
      ...(setup.database ? { database: setup.database } : {}),
      databaseCommands: withPackageScripts(repo, tool, example),
      notes: setup.notes,
    }
  },
})
