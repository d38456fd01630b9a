// The database step against a real PostgreSQL server (a throw-away cluster), a real SQLite
// file, and MariaDB/MySQL when the machine has one. The promise under test: rows survive.
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { events, repoRoot, runCli, stateDirOf, tempRepo, writeFiles } from '../helpers.js'
import { freePort, type PgCluster, startCluster } from './database/postgres-cluster.js'
import { mysqlServer, services as mysqlServices, startMariadb } from './service/harness.js'

const appPassword = 'app-Secret-pw42'
const pgModule = JSON.stringify(path.join(repoRoot, 'node_modules', 'pg'))

/**
 * Tiny migrate/seed tools, like a project's own: they read DATABASE_URL and log each call. The
 * migrate keeps its record as node-pg-migrate does (`pgmigrations`, the file name without extension).
 * `connect` is the driver's part: it defines `ready` (connected), `q(sql, params)` (rows) and `c.end()`.
 */
function dbScripts(connect: string, placeholder: string, usersTable: string): Record<string, string> {
  const run = (body: string, call: string) => `
const fs = require('node:fs'); ${connect}
;(async () => {
  await ready
${body}
  await c.end(); fs.appendFileSync('calls.log', '${call}\\n')
})().catch((e) => { console.error(e.message); process.exit(1) })`
  return {
    'migrate.cjs': run(
      `  await q('CREATE TABLE IF NOT EXISTS pgmigrations (name varchar(200) PRIMARY KEY, run_on varchar(40))')
  const done = new Set((await q('SELECT name FROM pgmigrations')).map((r) => r.name))
  for (const f of fs.readdirSync('db/migrations').sort()) {
    const name = f.replace(/\\.sql$/, '')
    if (done.has(name)) continue
    await q(fs.readFileSync('db/migrations/' + f, 'utf8'))
    await q('INSERT INTO pgmigrations (name) VALUES (${placeholder})', [name])
  }`,
      'migrate',
    ),
    'seed.cjs': run(`  await q("INSERT INTO users (name) VALUES ('seeded')")`, 'seed'),
    'db/migrations/001_users.sql': usersTable,
  }
}

const pgScripts = dbScripts(
  `const { Client } = require(${pgModule}); const c = new Client({ connectionString: process.env.DATABASE_URL })
const ready = c.connect(); const q = async (sql, params) => (await c.query(sql, params)).rows`,
  '$1',
  'CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);',
)

const recipe = (extra = '') => `version: 1
steps:
  - database:
      url: \${TEST_DATABASE_URL}
      migrate: node migrate.cjs
      migrations: db/migrations/**
      seed: node seed.cjs
${extra}`

const calls = (repo: string) =>
  existsSync(path.join(repo, 'calls.log'))
    ? readFileSync(path.join(repo, 'calls.log'), 'utf8').trim().split('\n')
    : []

/** Everything devsetup printed and logged, to prove no password leaks. */
function everythingShown(repo: string, outputs: string[]): string {
  const logs = path.join(stateDirOf(repo), 'logs')
  const logText = existsSync(logs)
    ? readdirSync(logs).map((f) => readFileSync(path.join(logs, f), 'utf8'))
    : []
  const state = existsSync(path.join(stateDirOf(repo), 'state.json'))
    ? readFileSync(path.join(stateDirOf(repo), 'state.json'), 'utf8')
    : ''
  return [...outputs, ...logText, state].join('\n')
}

describe('database: PostgreSQL', () => {
  let cluster: PgCluster
  beforeAll(async () => {
    cluster = await startCluster()
    await cluster.sql(`CREATE ROLE app LOGIN CREATEDB PASSWORD '${appPassword}'`)
    await cluster.sql(`CREATE ROLE nocreate LOGIN PASSWORD '${appPassword}'`)
  })
  afterAll(() => cluster?.destroy())

  const up = (repo: string, db: string, args: string[] = [], password = appPassword, user = 'app') =>
    runCli(['up', ...args], { cwd: repo, env: { TEST_DATABASE_URL: cluster.url(user, password, db) } })
  const names = async (db: string) =>
    (await cluster.sql<{ name: string }>('SELECT name FROM users ORDER BY id', db)).map((r) => r.name)

  it('creates, migrates and seeds a fresh database; a second run changes nothing', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(), ...pgScripts })
    const first = await up(repo, 'fresh_dev')
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(
      `PostgreSQL fresh_dev on 127.0.0.1:${cluster.port} — changed: created fresh_dev, migrated, seeded`,
    )
    expect(calls(repo)).toEqual(['migrate', 'seed'])
    expect(await names('fresh_dev')).toEqual(['seeded'])

    const second = await up(repo, 'fresh_dev', ['--json'])
    expect(second.code).toBe(0)
    const end = events(second.stdout).find((e) => e.event === 'step:end')!
    expect(end.status).toBe('ok')
    expect(end.reason).toBe(
      `server up at 127.0.0.1:${cluster.port}, database fresh_dev exists, migrations current (1 file, all applied in pgmigrations)`,
    )
    expect(calls(repo)).toEqual(['migrate', 'seed'])
    expect(everythingShown(repo, [first.stdout, second.stdout])).not.toContain(appPassword)
  })

  it('keeps rows through a second run, a new migration (migrate only) and --force', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(), ...pgScripts })
    expect((await up(repo, 'keep_dev')).code).toBe(0)
    await cluster.sql("INSERT INTO users (name) VALUES ('precious')", 'keep_dev')

    expect((await up(repo, 'keep_dev')).stdout).toContain('— ok:')
    writeFiles(repo, { 'db/migrations/002_email.sql': 'ALTER TABLE users ADD COLUMN email text;' })
    const migrated = await up(repo, 'keep_dev')
    expect(migrated.stdout).toContain(
      'running: 1 migration not applied (pgmigrations): db/migrations/002_email.sql',
    )
    expect(migrated.stdout).toContain('— changed: migrated')
    const forced = await up(repo, 'keep_dev', ['--force'])
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain('— changed: migrated')

    expect(calls(repo)).toEqual(['migrate', 'seed', 'migrate', 'migrate'])
    expect(await names('keep_dev')).toEqual(['seeded', 'precious'])
    const columns = await cluster.sql(
      "SELECT 1 FROM information_schema.columns WHERE column_name = 'email'",
      'keep_dev',
    )
    expect(columns).toHaveLength(1)
  })

  it('repairs a dropped database (seeded again) and migrates a recreated one without seeding it', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(), ...pgScripts })
    expect((await up(repo, 'gone_dev')).code).toBe(0)
    await cluster.sql('DROP DATABASE gone_dev')
    const repaired = await up(repo, 'gone_dev')
    expect(repaired.stdout).toContain('running: database gone_dev missing')
    expect(repaired.stdout).toContain('changed: created gone_dev, migrated, seeded')
    expect(await names('gone_dev')).toEqual(['seeded'])

    // Recreated behind devsetup's back: it existed before this run, so it is migrated, never seeded.
    await cluster.sql('DROP DATABASE gone_dev')
    await cluster.sql('CREATE DATABASE gone_dev OWNER app')
    const recreated = await up(repo, 'gone_dev')
    expect(recreated.stdout).toContain('running: gone_dev was recreated since the last migrate')
    expect(recreated.stdout).toContain('changed: migrated')
    expect(await names('gone_dev')).toEqual([])
    expect(calls(repo)).toEqual(['migrate', 'seed', 'migrate', 'seed', 'migrate'])
  })

  it('doctor reports a missing database without creating it', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(), ...pgScripts })
    const result = await runCli(['doctor'], {
      cwd: repo,
      env: { TEST_DATABASE_URL: cluster.url('app', appPassword, 'doctor_dev') },
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('database doctor_dev missing')
    expect(await cluster.sql("SELECT 1 FROM pg_database WHERE datname = 'doctor_dev'")).toHaveLength(0)
  })

  it('names the user on a wrong password, and never prints either password', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(), ...pgScripts })
    const result = await up(repo, 'auth_dev', [], 'Wrong-password-1')
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`authentication failed for user "app" at 127.0.0.1:${cluster.port}`)
    const shown = everythingShown(repo, [result.stdout, result.stderr])
    expect(shown).not.toContain('Wrong-password-1')
    expect(shown).not.toContain(appPassword)
    expect(calls(repo)).toEqual([])
  })

  it('tells how to grant CREATEDB when the user may not create databases', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(), ...pgScripts })
    const result = await up(repo, 'denied_dev', [], appPassword, 'nocreate')
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('user "nocreate" may not create database "denied_dev"')
    expect(result.stdout).toContain('ALTER ROLE "nocreate" CREATEDB;')
    expect(result.stdout).toContain('createdb -O nocreate denied_dev')
  })

  it('creates the role a URL names when it is missing, through an admin login; never alters one', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(), ...pgScripts })
    const url = cluster.url('fresh_role', appPassword, 'role_dev')
    const blind = await runCli(['doctor'], { cwd: repo, env: { TEST_DATABASE_URL: url } })
    expect(blind.code).toBe(1)
    expect(blind.stdout).toContain('(the role may not exist)')
    expect(blind.stdout).toContain(`CREATE ROLE "fresh_role" LOGIN CREATEDB PASSWORD '…';`)

    // The socket trusts local logins, like Homebrew's PostgreSQL: `postgres` is the admin.
    const env = { TEST_DATABASE_URL: url, PGHOST: cluster.socketDir }
    const doctor = await runCli(['doctor'], { cwd: repo, env })
    expect(doctor.stdout).toContain(`role "fresh_role" does not exist at 127.0.0.1:${cluster.port}`)
    expect(doctor.stdout).toContain('`devsetup up` creates it (as postgres@')
    expect(await cluster.sql("SELECT 1 FROM pg_roles WHERE rolname = 'fresh_role'")).toHaveLength(0)

    const first = await runCli(['up'], { cwd: repo, env })
    expect(first.code, first.stdout).toBe(0)
    expect(first.stdout).toContain('created role fresh_role')
    const [role] = await cluster.sql<{ rolcanlogin: boolean; rolcreatedb: boolean; rolsuper: boolean }>(
      "SELECT rolcanlogin, rolcreatedb, rolsuper FROM pg_roles WHERE rolname = 'fresh_role'",
    )
    expect(role).toEqual({ rolcanlogin: true, rolcreatedb: true, rolsuper: false })
    expect(calls(repo)).toEqual(['migrate', 'seed']) // connected with the URL's own password
    expect(everythingShown(repo, [first.stdout, first.stderr])).not.toContain(appPassword)
    expect((await runCli(['doctor'], { cwd: repo, env })).code).toBe(0)

    // An existing role with another password is a person's: reported, never altered.
    const wrong = await runCli(['up'], {
      cwd: repo,
      env: { ...env, TEST_DATABASE_URL: cluster.url('fresh_role', 'Other-pw-123', 'role_dev') },
    })
    expect(wrong.code).toBe(1)
    expect(wrong.stdout).toContain('authentication failed for user "fresh_role"')
    expect(calls(repo)).toEqual(['migrate', 'seed'])
  })

  it('reports an unreachable server with host:port and the `start` hint', async () => {
    const port = await freePort()
    const repo = tempRepo({ 'devsetup.yml': recipe(), ...pgScripts })
    const result = await runCli(['up'], {
      cwd: repo,
      env: { TEST_DATABASE_URL: `postgres://app:${appPassword}@127.0.0.1:${port}/nowhere` },
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`cannot connect to PostgreSQL at 127.0.0.1:${port}: connection refused`)
    expect(result.stdout).toContain('add `start:` to the database step')
    expect(everythingShown(repo, [result.stdout, result.stderr])).not.toContain(appPassword)
  })

  it('seeds a database it created once its failed first migrate is fixed — once, and only that database', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(), ...pgScripts })
    writeFiles(repo, { 'db/migrations/000_broken.sql': 'CREATE TABLE oops (;' })
    const failed = await up(repo, 'broken_dev')
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain(
      'broken_dev was created by this run but not seeded yet: the next `devsetup up` seeds it once this is fixed',
    )
    rmSync(path.join(repo, 'db/migrations/000_broken.sql'))
    const fixed = await up(repo, 'broken_dev')
    expect(fixed.code, fixed.stdout).toBe(0)
    expect(fixed.stdout).toContain('changed: migrated, seeded')
    expect(calls(repo)).toEqual(['migrate', 'seed'])
    expect(await names('broken_dev')).toEqual(['seeded'])
    // Seeded once: a later run (even forced) never seeds it again.
    const forced = await up(repo, 'broken_dev', ['--force'])
    expect(forced.code).toBe(0)
    expect(await names('broken_dev')).toEqual(['seeded'])
  })

  it('without `migrations`, migrates on every up (never seeding again) and validate warns', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe().replace('      migrations: db/migrations/**\n', ''),
      ...pgScripts,
    })
    expect((await up(repo, 'always_dev')).code).toBe(0)
    const again = await up(repo, 'always_dev')
    expect(again.stdout).toContain('running: no `migrations` to compare: migrate runs on every up')
    expect(again.stdout).toContain('changed: migrated')
    expect(calls(repo)).toEqual(['migrate', 'seed', 'migrate'])
    const validate = await runCli(['validate'], { cwd: repo, env: { TEST_DATABASE_URL: 'postgres://x/y' } })
    expect(validate.stdout + validate.stderr).toContain(
      'has `migrate` but no `migrations`, so migrate runs on every `up`',
    )
  })

  it('seeds a database it created on a retry after the first attempt failed (retries:)', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe('    retries: 1\n').replace(
        'migrate: node migrate.cjs',
        'migrate: "test -f failed-once || { touch failed-once; exit 1; }; node migrate.cjs"',
      ),
      ...pgScripts,
    })
    const result = await up(repo, 'retry_dev')
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain('changed: migrated, seeded')
    expect(calls(repo)).toEqual(['migrate', 'seed'])
    expect(await names('retry_dev')).toEqual(['seeded'])
    expect((await up(repo, 'retry_dev')).stdout).toContain('— ok:')
    expect(calls(repo)).toEqual(['migrate', 'seed'])
  })

  // Last: it stops the shared server.
  it('starts a stopped server with `start`, then carries on', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe('      start: ${PG_START}\n      start_timeout: 40s\n'),
      ...pgScripts,
    })
    const env = {
      TEST_DATABASE_URL: cluster.url('app', appPassword, 'started_dev'),
      PG_START: cluster.startCommand,
    }
    expect((await runCli(['up'], { cwd: repo, env })).code).toBe(0)
    await cluster.sql("INSERT INTO users (name) VALUES ('precious')", 'started_dev')
    cluster.stop()
    try {
      const result = await runCli(['up'], { cwd: repo, env })
      expect(result.stdout).toContain('running: cannot connect to PostgreSQL')
      expect(result.stdout).toContain('changed: started the server')
      expect(result.code).toBe(0)
    } finally {
      // Leave the server up for whatever runs after, whatever happened.
      await cluster.sql('SELECT 1').catch(() => cluster.start())
    }
    expect(await names('started_dev')).toEqual(['seeded', 'precious'])
    expect(calls(repo)).toEqual(['migrate', 'seed'])
  })
})

describe('database: SQLite', () => {
  // A project's migrate in the shape of Rails' (schema_migrations: one version a row), through
  // the sqlite3 command; the seed only logs.
  const sqliteRecipe = `version: 1
steps:
  - database:
      engine: sqlite
      path: var/db/dev.sqlite3
      migrate: sh migrate.sh
      migrations: db/migrations/*.sql
      seed: echo seed >> calls.log
`
  const migrateSh = `echo "migrate $DATABASE_PATH" >> calls.log
sqlite3 "$DATABASE_PATH" "CREATE TABLE IF NOT EXISTS schema_migrations (version varchar PRIMARY KEY)"
for f in $(ls db/migrations | sort); do
  v=\${f%%.*}
  [ "$(sqlite3 "$DATABASE_PATH" "SELECT count(*) FROM schema_migrations WHERE version = '$v'")" = 0 ] || continue
  sqlite3 "$DATABASE_PATH" < "db/migrations/$f" && sqlite3 "$DATABASE_PATH" "INSERT INTO schema_migrations VALUES ('$v')"
done
`
  const sqlite = (file: string, sql: string) => execFileSync('sqlite3', [file, sql], { encoding: 'utf8' })

  it('creates the folder and file, migrates and seeds; keeps the file through every later path', async () => {
    const repo = tempRepo({
      'devsetup.yml': sqliteRecipe,
      'migrate.sh': migrateSh,
      'db/migrations/001.sql': 'create table t (x);',
    })
    const file = path.join(repo, 'var/db/dev.sqlite3')
    const first = await runCli(['up'], { cwd: repo })
    expect(first.code, first.stdout).toBe(0)
    expect(first.stdout).toContain(
      'SQLite var/db/dev.sqlite3 — changed: created var/db/dev.sqlite3, migrated, seeded',
    )
    expect(calls(repo)).toEqual([`migrate ${file}`, 'seed'])

    sqlite(file, "insert into t values ('precious')") // what the developer would have put there
    expect((await runCli(['up'], { cwd: repo })).stdout).toContain(
      'ok: database var/db/dev.sqlite3 exists, migrations current (1 file, all applied in schema_migrations)',
    )
    writeFiles(repo, { 'db/migrations/002.sql': 'create table u (y);' })
    expect((await runCli(['up'], { cwd: repo })).stdout).toContain('changed: migrated')
    expect((await runCli(['up', '--force'], { cwd: repo })).stdout).toContain('changed: migrated')
    expect(sqlite(file, 'select x from t').trim()).toBe('precious')
    expect(calls(repo)).toEqual([`migrate ${file}`, 'seed', `migrate ${file}`, `migrate ${file}`])

    rmSync(file)
    const repaired = await runCli(['up'], { cwd: repo })
    expect(repaired.stdout).toContain('changed: created var/db/dev.sqlite3, migrated, seeded')
  })

  it('refuses a file that is not a SQLite database, and leaves it alone', async () => {
    const repo = tempRepo({ 'devsetup.yml': sqliteRecipe, 'var/db/dev.sqlite3': 'not a database' })
    const result = await runCli(['up'], { cwd: repo })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('var/db/dev.sqlite3 is not a SQLite database')
    expect(readFileSync(path.join(repo, 'var/db/dev.sqlite3'), 'utf8')).toBe('not a database')
    expect(calls(repo)).toEqual([])
  })
})

describe('database: SQLite, more', () => {
  it('seeds the file it created on a retry after the first migrate failed (retries:)', async () => {
    const repo = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - database:
      engine: sqlite
      path: var/db/dev.sqlite3
      migrate: "test -f failed-once || { touch failed-once; exit 1; }; echo migrate >> calls.log; sqlite3 var/db/dev.sqlite3 'create table if not exists t (x)'"
      seed: echo seed >> calls.log
    retries: 1
`,
    })
    const result = await runCli(['up'], { cwd: repo })
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain('SQLite var/db/dev.sqlite3 — changed: migrated, seeded')
    expect(calls(repo)).toEqual(['migrate', 'seed'])
    // Seeded once: a later run finds the database existing and never seeds it again.
    expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
    expect(calls(repo)).toEqual(['migrate', 'seed', 'migrate'])
  })

  it.each([
    ['sqlite:../s3-outside.db', 'must be a path inside the repository'],
    ['sqlite://<parent>/absolute.db', 'must be a path inside the repository'],
    ['sqlite::memory:', 'is an in-memory SQLite database: there is nothing to set up'],
    ['file::memory:?cache=shared', 'is an in-memory SQLite database: there is nothing to set up'],
  ])('refuses url %s at load time, creating nothing', async (url, message) => {
    const parent = tempRepo({}, { git: false })
    const repo = path.join(parent, 'repo')
    const recipeUrl = url.replace('<parent>', parent)
    writeFiles(repo, { 'devsetup.yml': `version: 1\nsteps:\n  - database:\n      url: "${recipeUrl}"\n` })
    const result = await runCli(['up'], { cwd: repo })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stderr).toMatch(/devsetup\.yml:4:\d+/)
    expect(readdirSync(parent)).toEqual(['repo'])
    expect(readdirSync(repo).sort()).toEqual(['devsetup.yml'])
  })

  it('says how to fix an unreadable database file instead of `devsetup up`', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - database:\n      engine: sqlite\n      path: dev.sqlite3\n',
    })
    writeFileSync(path.join(repo, 'dev.sqlite3'), 'SQLite format 3\0rows', { mode: 0o000 })
    chmodSync(repo, 0o777)
    // root reads any file: run devsetup as nobody, for whom the file is unreadable.
    const result = await runCli(['doctor'], { cwd: repo, asNobody: true })
    expect(result.code, result.stdout + result.stderr).toBe(1)
    expect(result.stdout).toContain('SQLite dev.sqlite3 — unmet: cannot read dev.sqlite3: permission denied')
    expect(result.stdout).toContain('fix: fix the permissions so you can read and write dev.sqlite3')
    expect(result.stdout).not.toContain('devsetup up --only')
  })

  it('names a path whose folder is a file', async () => {
    const repo = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - database:\n      engine: sqlite\n      path: var/dev.sqlite3\n',
      var: 'a file, not a folder',
    })
    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.stdout).toContain('unmet: cannot read var/dev.sqlite3: a folder on its path is a file')
    expect(doctor.stdout).not.toContain('devsetup up --only')
    expect(readFileSync(path.join(repo, 'var'), 'utf8')).toBe('a file, not a folder')
  })
})

const mysqlModule = JSON.stringify(path.join(repoRoot, 'node_modules', 'mysql2', 'promise'))
const mysqlScripts = dbScripts(
  `const mysql = require(${mysqlModule}); let c
const ready = mysql.createConnection(process.env.DATABASE_URL).then((x) => { c = x })
const q = async (sql, params) => (await c.query(sql, params))[0]`,
  '?',
  'CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY, name varchar(100) NOT NULL);',
)

// The server: one `service: mysql` step (its own state folder), as a user would start it.
describe.runIf(mysqlServer)(`database: MariaDB/MySQL (${mysqlServer})`, () => {
  const services = mysqlServices()
  let port = 0
  const url = (db: string, password = appPassword) => `mysql://app:${password}@127.0.0.1:${port}/${db}`
  beforeAll(async () => {
    port = await freePort()
    await startMariadb(services, url(''))
  }, 120_000)
  const up = (repo: string, db: string, args: string[] = [], password = appPassword) =>
    runCli(['up', ...args], { cwd: repo, env: { TEST_DATABASE_URL: url(db, password) } })
  async function names(db: string): Promise<string[]> {
    const mysql = (await import('mysql2/promise')).default
    const c = await mysql.createConnection(url(db))
    try {
      return ((await c.query('SELECT name FROM users ORDER BY id'))[0] as { name: string }[]).map(
        (r) => r.name,
      )
    } finally {
      await c.end()
    }
  }

  it('creates, migrates and seeds a fresh database; a second run changes nothing; rows are kept', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(), ...mysqlScripts })
    const first = await up(repo, 'fresh_dev')
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(
      /fresh_dev on 127\.0\.0\.1:\d+ — changed: created fresh_dev, migrated, seeded/,
    )
    expect(calls(repo)).toEqual(['migrate', 'seed'])
    expect(await names('fresh_dev')).toEqual(['seeded'])

    const second = await up(repo, 'fresh_dev', ['--json'])
    expect(second.code).toBe(0)
    const end = events(second.stdout).find((e) => e.event === 'step:end')!
    expect(end.status).toBe('ok')
    expect(end.reason).toBe(
      `server up at 127.0.0.1:${port}, database fresh_dev exists, migrations current (1 file, all applied in pgmigrations)`,
    )
    writeFiles(repo, { 'db/migrations/002_email.sql': 'ALTER TABLE users ADD COLUMN email text;' })
    const migrated = await up(repo, 'fresh_dev')
    expect(migrated.stdout).toContain('— changed: migrated')
    expect(calls(repo)).toEqual(['migrate', 'seed', 'migrate'])
    expect(await names('fresh_dev')).toEqual(['seeded'])
    expect(everythingShown(repo, [first.stdout, second.stdout, migrated.stdout])).not.toContain(appPassword)
  })

  it('says a wrong password is an authentication failure, and creates nothing', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(), ...mysqlScripts })
    const result = await up(repo, 'denied_dev', [], 'wrong-password')
    expect(result.code).toBe(1)
    expect(result.stdout + result.stderr).toContain('authentication failed for user "app"')
    expect(calls(repo)).toEqual([])
  })
})
