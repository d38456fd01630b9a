// The migrate / seed commands of the framework a repository uses, for its `database` step.
import type { RepoProbe } from './repo.js'

/** migrate / seed / migrations for the framework the repository uses. */
export function frameworkCommands(repo: RepoProbe): Record<string, string> {
  if (repo.has('bin/rails') || repo.has('config/application.rb'))
    return { migrate: 'bin/rails db:migrate', migrations: 'db/migrate/**', seed: 'bin/rails db:seed' }
  if (repo.has('manage.py')) {
    const python = repo.has('uv.lock')
      ? 'uv run python'
      : repo.has('poetry.lock')
        ? 'poetry run python'
        : '.venv/bin/python'
    return { migrate: `${python} manage.py migrate`, migrations: '*/migrations/*.py' }
  }
  const goMod = repo.read('go.mod') ?? ''
  const goDir = repo.first(['migrations', 'db/migrations', 'sql/migrations']) ?? 'migrations'
  // The migrate step runs with DATABASE_URL set: the shell expands it.
  if (goMod.includes('github.com/golang-migrate/migrate'))
    return { migrate: `migrate -path ${goDir} -database "$DATABASE_URL" up`, migrations: `${goDir}/**` }
  if (goMod.includes('github.com/pressly/goose'))
    return { migrate: `goose -dir ${goDir} postgres "$DATABASE_URL" up`, migrations: `${goDir}/**` }
  const scripts = repo.nodeScripts()
  const runner = repo.has('pnpm-lock.yaml') ? 'pnpm' : repo.has('yarn.lock') ? 'yarn' : 'npm run'
  const script = (names: string[]) => names.find((n) => scripts[n] !== undefined)
  const commands: Record<string, string> = {}
  if (repo.has('prisma/schema.prisma')) {
    Object.assign(commands, { migrate: 'npx prisma migrate deploy', migrations: 'prisma/migrations/**' })
    if (repo.json('package.json')?.prisma || repo.has('prisma/seed.ts') || repo.has('prisma/seed.js'))
      commands.seed = 'npx prisma db seed'
  } else if (repo.first(['drizzle.config.ts', 'drizzle.config.js', 'drizzle.config.mjs'])) {
    Object.assign(commands, { migrate: 'npx drizzle-kit migrate', migrations: 'drizzle/**' })
  } else if (repo.first(['knexfile.js', 'knexfile.ts', 'knexfile.cjs', 'knexfile.mjs'])) {
    const dir =
      /directory\s*:\s*['"]\.?\/?([\w/-]+)['"]/.exec(repo.read('knexfile.js') ?? '')?.[1] ?? 'migrations'
    Object.assign(commands, {
      migrate: 'npx knex migrate:latest',
      migrations: `${dir}/**`,
      seed: 'npx knex seed:run',
    })
  }
  // The project's own scripts know its flags and env better than a generic command.
  const migrate = script(['db:migrate', 'migrate', 'migrate:latest'])
  const seed = script(['db:seed', 'seed'])
  if (migrate) commands.migrate = `${runner} ${migrate}`
  if (seed) commands.seed = `${runner} ${seed}`
  return commands
}
