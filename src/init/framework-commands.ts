// The migrate / seed commands of the framework a repository uses, for its `database` step.
import { findKnexfile } from './knexfile.js'
import { nodeDatabaseCommands } from './node-database.js'
import type { RepoProbe } from './repo.js'

/** migrate / seed / migrations for the framework the repository uses. */
export function frameworkCommands(repo: RepoProbe, flavour?: string): Record<string, string> {
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
  return nodeDatabaseCommands(repo, findKnexfile(repo), flavour)
}
