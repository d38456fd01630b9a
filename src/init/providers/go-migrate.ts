// Go's migration tools, from go.mod: golang-migrate (`migrate -path … up`) and goose
// (`goose -dir … up`), on the migrations folder the repository has. The migrate step runs with
// DATABASE_URL set: the shell expands it.
import { defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

const goDir = (repo: RepoProbe) =>
  repo.first(['migrations', 'db/migrations', 'sql/migrations']) ?? 'migrations'
const requires = (repo: RepoProbe, module: string) => (repo.read('go.mod') ?? '').includes(module)

export const golangMigrate = defineProvider({
  name: 'golang-migrate',
  detect: ({ repo }) => requires(repo, 'github.com/golang-migrate/migrate'),
  contribute: ({ repo }) => ({
    databaseCommands: {
      migrate: `migrate -path ${goDir(repo)} -database "$DATABASE_URL" up`,
      migrations: `${goDir(repo)}/**`,
    },
  }),
})

export const goose = defineProvider({
  name: 'goose',
  detect: ({ repo }) => requires(repo, 'github.com/pressly/goose'),
  contribute: ({ repo }) => ({
    databaseCommands: {
      migrate: `goose -dir ${goDir(repo)} postgres "$DATABASE_URL" up`,
      migrations: `${goDir(repo)}/**`,
    },
  }),
})
