// A database that lost tables while it still exists (DROP TABLE behind devsetup's back): the
// database step compares the database's own tables with the ones it noted when an `up` last
// left it well. Without migrate (an app that makes its tables at boot, like sequelize.sync), `up`
// restarts the app and it makes them again (if not, that `up` fails at its end:
// database-lost-tables-restart.test.ts); with migrate, the tool's record still says every
// migration is applied, so `up` fails saying so — again on every `up` until the tables are back:
// only `up --force` accepts the loss (a second plain `up` going green was green while broken). Real
// PostgreSQL and MariaDB servers, a real app server, the built CLI.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, runCli, tempRepo, writeFiles } from '../helpers.js'
import { appRepo, appServer } from './database/boot-app.js'
import { freePort, type PgCluster, startCluster, superPassword } from './database/postgres-cluster.js'
import { mysqlServer, services as mysqlServices, mysqlSql, startMariadb } from './service/harness.js'

const pgModule = JSON.stringify(path.join(repoRoot, 'node_modules', 'pg'))
const mysqlModule = JSON.stringify(path.join(repoRoot, 'node_modules', 'mysql2', 'promise'))

// `sync()` makes its table at boot when missing.
const bootServer = appServer(
  "await c.query('CREATE TABLE IF NOT EXISTS tutorials (id serial PRIMARY KEY, title text)')",
  'tutorials',
)

/** A migrate script in knex's shape: applies db/migrations/*.js (each exports its SQL) once each, recorded in knex_migrations. */
function migrateScript(driver: 'pg' | 'mysql'): string {
  const connect =
    driver === 'pg'
      ? `const { Client } = require(${pgModule}); const c = new Client({ connectionString: process.env.DATABASE_URL })
const ready = c.connect(); const q = async (sql, p) => (await c.query(sql, p)).rows; const ph = '$1'`
      : `const mysql = require(${mysqlModule}); let c
const ready = mysql.createConnection(process.env.DATABASE_URL).then((x) => { c = x })
const q = async (sql, p) => (await c.query(sql, p))[0]; const ph = '?'`
  return `const fs = require('node:fs'); ${connect}
;(async () => {
  await ready
  await q('CREATE TABLE IF NOT EXISTS knex_migrations (id integer, name varchar(255), batch integer, migration_time varchar(40))')
  const done = new Set((await q('SELECT name FROM knex_migrations')).map((r) => r.name))
  for (const f of fs.readdirSync('db/migrations').sort()) {
    if (done.has(f)) continue
    await q(require(require('node:path').resolve('db/migrations', f)))
    await q('INSERT INTO knex_migrations (name) VALUES (' + ph + ')', [f])
  }
  await c.end()
})().catch((e) => { console.error(e.message); process.exit(1) })`
}

const migrated = (driver: 'pg' | 'mysql') => ({
  'devsetup.yml': `version: 1
steps:
  - database:
      url: \${TEST_DATABASE_URL}
      migrate: node migrate.cjs
      migrations: db/migrations/*.js
`,
  'migrate.cjs': migrateScript(driver),
  'db/migrations/001_users.js': 'module.exports = "CREATE TABLE users (id integer, name varchar(40))"',
  'db/migrations/002_posts.js': 'module.exports = "CREATE TABLE posts (id integer, title varchar(40))"',
})

const get = async (port: number, route: string) => {
  const response = await fetch(`http://127.0.0.1:${port}${route}`)
  return { status: response.status, text: await response.text() }
}

describe('database: tables gone since the last up (PostgreSQL)', () => {
  let cluster: PgCluster
  beforeAll(async () => {
    cluster = await startCluster()
  })
  afterAll(() => cluster?.destroy())
  const env = (db: string) => ({ TEST_DATABASE_URL: cluster.url('postgres', superPassword, db) })

  it('without migrate (the app makes its table at boot): a dropped table is red; up restarts the app, which makes it again', async () => {
    const port = await freePort()
    const repo = appRepo(bootServer, port)
    const e = env('boot_dev')
    const first = await runCli(['up'], { cwd: repo, env: e })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(await get(port, '/api/tutorials')).toEqual({ status: 200, text: '0' })
    expect((await runCli(['doctor'], { cwd: repo, env: e })).code).toBe(0)

    // A table the app adds later is its own business: still green.
    await cluster.sql('CREATE TABLE audit (id serial)', 'boot_dev')
    const added = await runCli(['doctor'], { cwd: repo, env: e })
    expect(added.code, added.stdout).toBe(0)

    await cluster.sql('DROP TABLE tutorials', 'boot_dev')
    expect((await get(port, '/api/tutorials')).status).toBe(500)
    const red = await runCli(['doctor'], { cwd: repo, env: e })
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toContain('PostgreSQL boot_dev')
    expect(red.stdout).toContain(
      "the database boot_dev has lost all its tables (1 noted at the last `up`: tutorials): the app's data in it is lost",
    )
    expect(red.stdout).toContain('`devsetup up` restarts the app, which may make them again at boot')

    const repaired = await runCli(['up'], { cwd: repo, env: e })
    expect(repaired.code, repaired.stdout).toBe(0)
    expect(repaired.stdout).toContain('tutorials gone: the app is restarted to make its tables')
    expect(await get(port, '/api/tutorials')).toEqual({ status: 200, text: '0' })
    const green = await runCli(['doctor'], { cwd: repo, env: e })
    expect(green.code, green.stdout).toBe(0)

    // Both gone (audit was noted by the last up): the app makes only its own again, so this
    // `up` fails at its end, the next doctor stays red, and so does every `up` until `up --force`
    // accepts the loss.
    await cluster.sql('DROP TABLE tutorials, audit', 'boot_dev')
    const all = await runCli(['doctor'], { cwd: repo, env: e })
    expect(all.code).toBe(1)
    expect(all.stdout).toContain(
      "the database boot_dev has lost all its tables (2 noted at the last `up`: audit, tutorials): the app's data in them is lost",
    )
    const partly = await runCli(['up'], { cwd: repo, env: e })
    expect(partly.code, partly.stdout).toBe(1)
    expect(partly.stdout).toContain('after the restart, table audit is still gone')
    expect((await get(port, '/api/tutorials')).status).toBe(200)
    const still = await runCli(['doctor'], { cwd: repo, env: e })
    expect(still.code, still.stdout).toBe(1)
    expect(still.stdout).toContain('table audit is gone since the last `up` (1 of 2 tables missing)')
    expect(still.stdout).toContain('the app did not make them again when restarted')
    // A plain `up` does not make it green while the app lacks the table: it fails, saying so.
    const again = await runCli(['up'], { cwd: repo, env: e })
    expect(again.code, again.stdout).toBe(1)
    expect(again.stdout).toContain('the app did not make them again when it was restarted')
    expect((await runCli(['doctor'], { cwd: repo, env: e })).code).toBe(1)
    const accepted = await runCli(['up', '--force', '--only', 'database'], { cwd: repo, env: e })
    expect(accepted.code, accepted.stdout).toBe(0)
    expect(accepted.stdout).toContain('accepted the loss of audit (--force)')
    // The database step ran (forced): the restart after it is pending, and the next plain `up` does it.
    expect((await runCli(['up'], { cwd: repo, env: e })).code).toBe(0)
    const after = await runCli(['doctor'], { cwd: repo, env: e })
    expect(after.code, after.stdout).toBe(0)
  })

  it('a dropped database re-created by up, or by hand, holds none of the noted tables: no loss reported on it', async () => {
    const repo = tempRepo(migrated('pg'))
    const e = env('whole_drop')
    expect((await runCli(['up'], { cwd: repo, env: e })).code).toBe(0)
    // Red for `why`, then one up makes it green, with no table reported lost.
    const repaired = async (why: string) => {
      const red = await runCli(['doctor'], { cwd: repo, env: e })
      expect(red.code).toBe(1)
      expect(red.stdout).toContain(why)
      const up = await runCli(['up'], { cwd: repo, env: e })
      expect(up.code, up.stdout + up.stderr).toBe(0)
      expect(up.stdout).not.toContain('gone since the last')
      const green = await runCli(['doctor'], { cwd: repo, env: e })
      expect(green.code, green.stdout).toBe(0)
    }
    // A table no migration makes (someone's own, or the acceptance script's marker), noted by the next up.
    const marked = async () => {
      await cluster.sql('CREATE TABLE marker (id integer)', 'whole_drop')
      expect((await runCli(['up'], { cwd: repo, env: e })).code).toBe(0)
    }
    await marked()
    await cluster.sql('DROP DATABASE whole_drop', 'postgres')
    await repaired('whole_drop missing')
    // Dropped and created again by hand (the restore the lost-table fix suggests): a new database,
    // migrated by the next up; the marker the old one held is no loss of this one.
    await marked()
    await cluster.sql('DROP DATABASE whole_drop', 'postgres')
    await cluster.sql('CREATE DATABASE whole_drop', 'postgres')
    await repaired('recreated since the last migrate')
  })

  it('with migrate: a dropped app table is red; up fails saying migrate cannot bring it back, drops nothing, and again; up --force accepts', async () => {
    const repo = tempRepo(migrated('pg'))
    const e = env('knex_lost')
    const first = await runCli(['up'], { cwd: repo, env: e })
    expect(first.code, first.stdout).toBe(0)
    await cluster.sql("INSERT INTO users VALUES (1, 'ada')", 'knex_lost')
    await cluster.sql('CREATE TABLE sessions (id serial)', 'knex_lost')
    expect((await runCli(['doctor'], { cwd: repo, env: e })).code).toBe(0)

    await cluster.sql('DROP TABLE posts', 'knex_lost')
    const red = await runCli(['doctor'], { cwd: repo, env: e })
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toContain(
      "table posts is gone since the last `up` (1 of 3 tables missing): the app's data in it is lost; the migration tool's record still says every migration is applied",
    )
    const failed = await runCli(['up'], { cwd: repo, env: e })
    expect(failed.code, failed.stdout).toBe(1)
    expect(failed.stdout).toContain(
      "`node migrate.cjs` ran and did not re-create them: the migration tool's record still says every migration is applied",
    )
    expect(failed.stdout).toContain('devsetup never drops')
    // Nothing dropped or emptied: the rows, the tool's record and the app's own table are there.
    expect(await cluster.sql('SELECT name FROM users', 'knex_lost')).toEqual([{ name: 'ada' }])
    expect(await cluster.sql('SELECT name FROM knex_migrations ORDER BY name', 'knex_lost')).toHaveLength(2)
    expect(
      await cluster.sql("SELECT 1 FROM pg_tables WHERE tablename = 'sessions'", 'knex_lost'),
    ).toHaveLength(1)
    expect((await runCli(['doctor'], { cwd: repo, env: e })).stdout).toContain(
      '`devsetup up --force --only database` accepts it',
    )
    expect((await runCli(['up'], { cwd: repo, env: e })).code).toBe(1)

    const accepted = await runCli(['up', '--force', '--only', 'database'], { cwd: repo, env: e })
    expect(accepted.code, accepted.stdout).toBe(0)
    expect(accepted.stdout).toContain('accepted the loss of posts')
    expect((await runCli(['doctor'], { cwd: repo, env: e })).code).toBe(0)

    // A migration that drops a table, applied by hand: the loss is the migration's, not red.
    writeFiles(repo, { 'db/migrations/003_drop_users.js': 'module.exports = "DROP TABLE users"' })
    execFileSync('node', ['migrate.cjs'], {
      cwd: repo,
      env: { ...process.env, DATABASE_URL: e.TEST_DATABASE_URL },
    })
    const migratedByHand = await runCli(['doctor'], { cwd: repo, env: e })
    expect(migratedByHand.code, migratedByHand.stdout).toBe(0)
  })
})

describe.runIf(mysqlServer)('database: tables gone since the last up (MariaDB)', () => {
  const services = mysqlServices()
  let port = 0
  const url = (db: string) => `mysql://app:app-Secret-pw42@127.0.0.1:${port}/${db}`
  beforeAll(async () => {
    port = await freePort()
    await startMariadb(services, url(''))
  }, 120_000)

  it('with migrate: a dropped table is red and up fails with the fix; an added one stays green', async () => {
    const repo = tempRepo(migrated('mysql'))
    const e = { TEST_DATABASE_URL: url('lost_dev') }
    const first = await runCli(['up'], { cwd: repo, env: e })
    expect(first.code, first.stdout).toBe(0)
    await mysqlSql(url('lost_dev'), 'CREATE TABLE sessions (id integer)')
    expect((await runCli(['doctor'], { cwd: repo, env: e })).code).toBe(0)
    await mysqlSql(url('lost_dev'), 'DROP TABLE users, posts')
    const red = await runCli(['doctor'], { cwd: repo, env: e })
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toContain('tables posts, users are gone since the last `up` (2 of 3 tables missing)')
    const failed = await runCli(['up'], { cwd: repo, env: e })
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('ran and did not re-create them')
    expect(await mysqlSql(url('lost_dev'), 'SELECT name FROM knex_migrations')).toHaveLength(2)
  })
})

describe('database: tables gone since the last up (SQLite)', () => {
  it("a dropped table of the app's SQLite file is red; one the app adds is not", async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - database:\n      url: sqlite:data/app.db\n',
    })
    expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
    // The app makes its tables (written by the sqlite3 command, as its driver would).
    execFileSync(
      'sqlite3',
      ['data/app.db', 'CREATE TABLE users (id integer); CREATE TABLE posts (id integer)'],
      {
        cwd: repo,
      },
    )
    expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
    execFileSync('sqlite3', ['data/app.db', 'CREATE TABLE audit (id integer)'], { cwd: repo })
    expect((await runCli(['doctor'], { cwd: repo })).code).toBe(0)
    execFileSync('sqlite3', ['data/app.db', 'DROP TABLE posts'], { cwd: repo })
    const red = await runCli(['doctor'], { cwd: repo })
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toContain('SQLite data/app.db')
    expect(red.stdout).toContain('table posts is gone since the last `up` (1 of 2 tables missing)')
  })
})
