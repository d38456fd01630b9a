// migrate / seed / migrations for a Node app, under the names the app really uses: its own
// package scripts first (TypeORM's `migration:run`, `seed:run:relational`, Sequelize's
// `db:migrate`, `db:seed:all`), then the tool's CLI with the paths its config gives.
// No `seed` unless the repository has seeds.
import type { Knexfile } from './knexfile.js'
import type { RepoProbe } from './repo.js'

export function nodeRunner(repo: RepoProbe): string {
  return repo.has('pnpm-lock.yaml')
    ? 'pnpm'
    : repo.has('yarn.lock')
      ? 'yarn'
      : repo.has('bun.lock') || repo.has('bun.lockb')
        ? 'bun run'
        : 'npm run'
}

const migrateScripts = [
  'db:migrate',
  'migrate',
  'migrate:latest',
  'migration:run',
  'migrations:run',
  'typeorm:migration:run',
  'db:migrate:latest',
  'knex:migrate',
  'prisma:migrate',
]
const seedScripts = ['db:seed', 'seed', 'db:seed:all', 'seed:run', 'knex:seed', 'prisma:seed']

export function nodeDatabaseCommands(
  repo: RepoProbe,
  knex: Knexfile | undefined,
  flavour: string | undefined,
): Record<string, string> {
  const scripts = repo.nodeScripts()
  const runner = nodeRunner(repo)
  const deps = repo.nodeDependencies()
  const commands: Record<string, string> = {}
  if (repo.has('prisma/schema.prisma')) {
    Object.assign(commands, { migrate: 'npx prisma migrate deploy', migrations: 'prisma/migrations/**' })
    if ((repo.json('package.json')?.prisma as { seed?: string })?.seed) commands.seed = 'npx prisma db seed'
  } else if (repo.first(['drizzle.config.ts', 'drizzle.config.js', 'drizzle.config.mjs'])) {
    const config =
      repo.read(repo.first(['drizzle.config.ts', 'drizzle.config.js', 'drizzle.config.mjs'])!) ?? ''
    const out = /\bout\s*:\s*['"]\.?\/?([\w/-]+)['"]/.exec(config)?.[1] ?? 'drizzle'
    Object.assign(commands, { migrate: 'npx drizzle-kit migrate', migrations: `${out}/**` })
  } else if (knex) {
    commands.migrate = `npx knex migrate:latest${knex.flag}`
    commands.migrations = `${knex.migrations}/**`
    if (knex.seeds) commands.seed = `npx knex seed:run${knex.flag}`
  } else if (deps['sequelize-cli'] || repo.has('.sequelizerc')) {
    const rc = repo.read('.sequelizerc') ?? ''
    const rcDir = (key: string, fallback: string) => {
      const match = new RegExp(`['"]${key}['"]\\s*:\\s*path\\.resolve\\(([^)]*)\\)`).exec(rc)?.[1]
      const parts = match?.match(/['"]([^'"]+)['"]/g)?.map((p) => p.slice(1, -1))
      return parts && parts.length > 0 ? parts.join('/').replace(/^\.\//, '') : fallback
    }
    const migrations = rcDir('migrations-path', 'migrations')
    const seeders = rcDir('seeders-path', 'seeders')
    Object.assign(commands, { migrate: 'npx sequelize-cli db:migrate', migrations: `${migrations}/**` })
    if (repo.list(seeders).some((f) => /\.(c|m)?[jt]s$/.test(f)))
      commands.seed = 'npx sequelize-cli db:seed:all'
  } else if (deps.typeorm) {
    const dir = findMigrationsDir(repo)
    if (dir) commands.migrations = `${dir}/**`
  }
  // The project's own scripts know its flags, env loading and paths better than a generic CLI.
  const migrate = migrateScripts.find((n) => scripts[n] !== undefined)
  if (migrate) commands.migrate = `${runner} ${migrate}`
  if (commands.migrate && !commands.migrations) {
    const dir = findMigrationsDir(repo)
    if (dir) commands.migrations = `${dir}/**`
  }
  const seeds = Object.keys(scripts).filter(
    (n) => seedScripts.includes(n) || /^(db:)?seeds?:run(:|$)/.test(n) || /^seed:(dev|development)$/.test(n),
  )
  // `seed:run:relational` and `seed:run:document`: the one that matches the env example chosen.
  const seed =
    seeds.find((n) => flavour !== undefined && n.endsWith(flavour)) ??
    seeds.find((n) => !/:(test|prod)/.test(n))
  if (seed) commands.seed = `${runner} ${seed}`
  return commands
}

/** The folder holding migrations: src/database/migrations, migrations, db/migrations, ... */
function findMigrationsDir(repo: RepoProbe): string | undefined {
  const known = [
    'migrations',
    'db/migrations',
    'src/migrations',
    'src/database/migrations',
    'src/db/migrations',
    'database/migrations',
    'server/migrations',
    'src/migration',
  ]
  const direct = known.find((d) => repo.isDir(d))
  if (direct) return direct
  // One level deeper under src/ (src/<module>/migrations).
  for (const dir of repo.list('src')) if (repo.isDir(`src/${dir}/migrations`)) return `src/${dir}/migrations`
  return undefined
}
