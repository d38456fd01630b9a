// A `database:` step whose URL takes the database name from the .env an earlier `dotenv` step
// manages (src/recipe/env-file-scope.ts): the check asks the database the app uses. Issue 20's
// case: a user renames the database in .env; `doctor` was green because the step still checked
// the example's database. Against a real, throw-away PostgreSQL cluster.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, runCli, stateDirOf, tempRepo } from '../helpers.js'
import { type PgCluster, startCluster } from './database/postgres-cluster.js'

const password = 'envfile-Secret-pw7'
const pgModule = JSON.stringify(path.join(repoRoot, 'node_modules', 'pg'))

/** The app's migrate: node-pg-migrate's record (`pgmigrations`), through the DATABASE_URL it is given. */
const migrate = `const fs = require('node:fs'); const { Client } = require(${pgModule})
;(async () => {
  const c = new Client({ connectionString: process.env.DATABASE_URL }); await c.connect()
  await c.query('CREATE TABLE IF NOT EXISTS pgmigrations (name varchar(200) PRIMARY KEY, run_on timestamp)')
  const done = new Set((await c.query('SELECT name FROM pgmigrations')).rows.map((r) => r.name))
  for (const f of fs.readdirSync('db/migrations').sort()) {
    if (done.has(f.replace(/\\.sql$/, ''))) continue
    await c.query(fs.readFileSync('db/migrations/' + f, 'utf8'))
    await c.query('INSERT INTO pgmigrations (name) VALUES ($1)', [f.replace(/\\.sql$/, '')])
  }
  await c.end()
})().catch((e) => { console.error(e.message); process.exit(1) })`

describe('database: the name comes from .env (a dotenv step before it)', () => {
  let cluster: PgCluster
  beforeAll(async () => {
    cluster = await startCluster()
    await cluster.sql(`CREATE ROLE app LOGIN CREATEDB PASSWORD '${password}'`)
  })
  afterAll(() => cluster?.destroy())

  const exists = async (db: string) =>
    (await cluster.sql(`SELECT 1 FROM pg_database WHERE datname = '${db}'`)).length === 1

  it('checks and creates the database .env names; a renamed one is red until `up` makes it; the first is kept', async () => {
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
