// A `database:` step whose URL takes the database name from the .env an earlier `dotenv` step
// manages (src/recipe/env-file-scope.ts): the check asks the database the app uses. Issue 20's
// case: a user renames the database in .env; `doctor` was green because the step still checked
// the example's database. Against a real, throw-away PostgreSQL cluster.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'
import { clusterWithAppRole, pgMigrateScript } from './database/pg-migrate-stand-in.js'

const password = 'envfile-Secret-pw7'
/** The app's migrate: node-pg-migrate's record (`pgmigrations`), through the DATABASE_URL it is given. */
const migrate = pgMigrateScript('db/migrations')

describe('database: the name comes from .env (a dotenv step before it)', () => {
  const pg = clusterWithAppRole(password)
  const exists = pg.exists

  it('checks and creates the database .env names; a renamed one is red until `up` makes it; the first is kept', async () => {
    const cluster = pg.cluster()
    const repo = tempRepo({
      '.env.example': `DB_NAME=envfile_example_dev\nDB_PASSWORD=${password}\n`,
      'devsetup.yml': `version: 1
steps:
  - dotenv
  - database:
      url: postgres://app:\${DB_PASSWORD}@127.0.0.1:${cluster.port}/\${DB_NAME}
      migrate: node migrate.cjs
      migrations: db/migrations/**
`,
      'migrate.cjs': migrate,
      'db/migrations/001_users.sql': 'CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);',
    })
    const first = await runCli(['up'], { cwd: repo })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(await exists('envfile_example_dev')).toBe(true)
    await cluster.sql("INSERT INTO users (name) VALUES ('kept')", 'envfile_example_dev')
    expect((await runCli(['doctor'], { cwd: repo })).code).toBe(0)

    // The user points the app at another database.
    const env = path.join(repo, '.env')
    writeFileSync(env, readFileSync(env, 'utf8').replace('envfile_example_dev', 'envfile_renamed_dev'))
    const red = await runCli(['doctor'], { cwd: repo })
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toMatch(/database.*envfile_renamed_dev missing/i)
    expect(await exists('envfile_renamed_dev')).toBe(false)

    const repaired = await runCli(['up'], { cwd: repo })
    expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0)
    const migrated = await cluster.sql<{ name: string }>(
      'SELECT name FROM pgmigrations',
      'envfile_renamed_dev',
    )
    expect(migrated.map((r) => r.name)).toEqual(['001_users'])
    const green = await runCli(['doctor'], { cwd: repo })
    expect(green.code, green.stdout).toBe(0)

    // The first database is never dropped, its rows kept.
    const rows = await cluster.sql<{ name: string }>('SELECT name FROM users', 'envfile_example_dev')
    expect(rows.map((r) => r.name)).toEqual(['kept'])
    // The password read from .env is shown nowhere, nor kept in the recipe cache.
    for (const shown of [first.stdout, red.stdout, repaired.stdout, green.stdout])
      expect(shown).not.toContain(password)
    expect(readFileSync(path.join(stateDirOf(repo), 'recipe.json'), 'utf8')).not.toContain(password)
  })
})
