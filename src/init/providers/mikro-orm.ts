// MikroORM: the database its config names (mikro-orm-config.ts: `dbName`, the driver package,
// host/port/user/password, `clientUrl`), ranked as the app's own config — above a docker compose
// service's database, which is only a fallback. Its CLI applies the migrations folder
// (`npx mikro-orm migration:up`), unless the app migrates at boot (`getMigrator().up()`,
// `orm.migrator.up()`): then the dev server's start applies them and the step only makes the database.
import { type DatabaseSource, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'
import { findMikroOrmConfig, readMikroOrmConfig } from './mikro-orm-config.js'

export const mikroOrm = defineProvider({
  name: 'mikro-orm',
  detect: ({ repo }) =>
    Object.keys(repo.nodeDependencies()).some((d) => d.startsWith('@mikro-orm/')) &&
    findMikroOrmConfig(repo) !== undefined,
  contribute: ({ repo, example }) => {
    const config = readMikroOrmConfig(repo, findMikroOrmConfig(repo)!, example)
    const notes: string[] = []
    if (/\.(example|dist|sample)$/.test(config.file))
      notes.push(`MikroORM's config is read from ${config.file}: the app needs it copied without the suffix`)
    const database: DatabaseSource | undefined = config.engine
      ? {
          engine: config.engine,
          why: `${config.file} (${config.said.join('; ')})`,
          rank: 0,
          ...(config.url ? { url: config.url } : {}),
          ...(config.url && config.urlRef ? { urlRef: config.urlRef } : {}),
          ...(config.viaEnv ? { viaEnv: true } : { splitVars: 'always' as const }),
          ...(config.computedAt ? { computedAt: config.computedAt } : {}),
        }
      : undefined
    const boot = migratesAtBoot(repo)
    if (boot) notes.push(`the app applies its MikroORM migrations at boot (${boot}): no migrate command`)
    const seeds = repo.nodeDependencies()['@mikro-orm/seeder'] !== undefined && hasFiles(repo, 'src/seeders')
    const commands = boot
      ? {}
      : {
          migrate: 'npx mikro-orm migration:up',
          ...(config.migrations ? { migrations: `${config.migrations}/**` } : {}),
          ...(seeds ? { seed: 'npx mikro-orm seeder:run' } : {}),
        }
    return { ...(database ? { database } : {}), databaseCommands: commands, notes }
  },
})

/** Where the app's code runs MikroORM's migrator itself (`file:line`), if it does. */
function migratesAtBoot(repo: RepoProbe): string | undefined {
  for (const file of repo.sourceFiles()) {
    const text = repo.read(file) ?? ''
    const at = text.search(/\b(?:getMigrator\(\)|\.migrator)\s*\.up\(/)
    if (at !== -1) return `${file}:${text.slice(0, at).split('\n').length}`
  }
  return undefined
}

const hasFiles = (repo: RepoProbe, dir: string) => repo.list(dir).some((f) => /\.[cm]?[jt]s$/.test(f))
