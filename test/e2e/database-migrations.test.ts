// The database step asks the migration tool's own table (knex_migrations, schema_migrations,
// ...) whether the files `migrations:` names are applied: against a real PostgreSQL cluster,
// a real MariaDB and real SQLite files (written by the sqlite3 command, as an app's tool would).
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, runCli, tempRepo, writeFiles } from '../helpers.js'
import { freePort, type PgCluster, startCluster, superPassword } from './database/postgres-cluster.js'
import { mysqlServer, services as mysqlServices, startMariadb } from './service/harness.js'

const pgModule = JSON.stringify(path.join(repoRoot, 'node_modules', 'pg'))
const mysqlModule = JSON.stringify(path.join(repoRoot, 'node_modules', 'mysql2', 'promise'))

/** The table each shape of tool keeps, and what it records for a file. */
const shapes = {
  knex: {
    ddl: 'CREATE TABLE IF NOT EXISTS knex_migrations (id integer, name varchar(255), batch integer, migration_time varchar(40))',
    table: 'knex_migrations',
    column: 'name',
    entry: 'f',
  },
  rails: {
    ddl: 'CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(255) PRIMARY KEY)',
    table: 'schema_migrations',
    column: 'version',
    entry: "f.split('_')[0]",
  },
  unknown: {
    ddl: 'CREATE TABLE IF NOT EXISTS applied_files (file varchar(255) PRIMARY KEY)',
    table: 'applied_files',
    column: 'file',
    entry: 'f',
  },
}
type Shape = keyof typeof shapes

/**
 * A migrate tool in the shape of knex's or Rails': it applies the files of MIGRATIONS_DIR (a .js
 * file exports its SQL) against DATABASE_URL and records each in its own table, as they do.
 */
function migrateTool(driver: 'pg' | 'mysql', shape: Shape, table = shapes[shape].table): string {
  const s = shapes[shape]
  const connect =
    driver === 'pg'
      ? `const { Client } = require(${pgModule}); const c = new Client({ connectionString: process.env.DATABASE_URL })
const ready = c.connect(); const q = async (sql, p) => (await c.query(sql, p)).rows; const ph = '$1'`
      : `const mysql = require(${mysqlModule}); let c
const ready = mysql.createConnection(process.env.DATABASE_URL).then((x) => { c = x })
const q = async (sql, p) => (await c.query(sql, p))[0]; const ph = '?'`
  return `const fs = require('node:fs'); const path = require('node:path'); ${connect}
const dir = process.env.MIGRATIONS_DIR || 'db/migrations'
;(async () => {
  await ready
  await q(${JSON.stringify(s.ddl.replace(s.table, table))})
  const done = new Set((await q('SELECT ${s.column} AS k FROM ${table}')).map((r) => String(r.k)))
  for (const f of fs.readdirSync(dir).sort()) {
    const entry = ${s.entry}
    if (done.has(entry)) continue
    const file = path.resolve(dir, f)
    await q(f.endsWith('.js') ? require(file) : fs.readFileSync(file, 'utf8'))
    await q('INSERT INTO ${table} (${s.column}) VALUES (' + ph + ')', [entry])
  }
  await c.end()
})().catch((e) => { console.error(e.message); process.exit(1) })`
}

const recipe = (migrations: string, extra = '') => `version: 1
steps:
  - database:
      url: \${TEST_DATABASE_URL}
      migrate: node migrate.cjs
      migrations: ${migrations}
${extra}`

describe('database migrations: PostgreSQL', () => {
  let cluster: PgCluster
  beforeAll(async () => {
    cluster = await startCluster()
  })
  afterAll(() => cluster?.destroy())
  const env = (db: string) => ({ TEST_DATABASE_URL: cluster.url('postgres', superPassword, db) })

  it('knex-shaped: green names knex_migrations; a new migration file makes doctor red, naming it', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe('db/migrations/*.js'),
      'migrate.cjs': migrateTool('pg', 'knex'),
      'db/migrations/20240101_users.js': 'module.exports = "CREATE TABLE users (id serial, name text)"',
    })
    const first = await runCli(['up'], { cwd: repo, env: env('knex_dev') })
    expect(first.code, first.stdout).toBe(0)
    const green = await runCli(['doctor'], { cwd: repo, env: env('knex_dev') })
    expect(green.code).toBe(0)
    expect(green.stdout).toContain('migrations current (1 file, all applied in knex_migrations)')

    writeFiles(repo, {
      'db/migrations/20240202_email.js': 'module.exports = "ALTER TABLE users ADD COLUMN email text"',
    })
    const red = await runCli(['doctor'], { cwd: repo, env: env('knex_dev') })
    expect(red.code).toBe(1)
    expect(red.stdout).toContain(
      'unmet: 1 migration not applied (knex_migrations): db/migrations/20240202_email.js',
    )
    const repaired = await runCli(['up'], { cwd: repo, env: env('knex_dev') })
    expect(repaired.stdout).toContain('changed: migrated')
    expect(
      await cluster.sql("SELECT 1 FROM information_schema.columns WHERE column_name = 'email'", 'knex_dev'),
    ).toHaveLength(1)

    // A rollback behind devsetup's back (the files did not change): red again, naming the file.
    await cluster.sql("DELETE FROM knex_migrations WHERE name = '20240202_email.js'", 'knex_dev')
    const rolledBack = await runCli(['doctor'], { cwd: repo, env: env('knex_dev') })
    expect(rolledBack.code).toBe(1)
    expect(rolledBack.stdout).toContain(
      '1 migration not applied (knex_migrations): db/migrations/20240202_email.js',
    )
  })

  it('a `migrations:` glob that matches no file while the table lists applied ones is a wrong folder', async () => {
    // Like a knexfile with `directory: path.join(__dirname, 'server', 'migrations')`.
    const repo = tempRepo({
      'devsetup.yml': recipe('migrations/**', '    env: { MIGRATIONS_DIR: server/migrations }\n'),
      'migrate.cjs': migrateTool('pg', 'knex'),
      'server/migrations/001_users.js': 'module.exports = "CREATE TABLE users (id serial)"',
    })
    const up = await runCli(['up'], { cwd: repo, env: env('folder_dev') })
    expect(up.code).toBe(1)
    expect(up.stdout).toContain(
      '`migrations: migrations/**` matches no knex migration file, yet knex_migrations lists 1 applied migration: the step points at a wrong folder',
    )
    const doctor = await runCli(['doctor'], { cwd: repo, env: env('folder_dev') })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain('the step points at a wrong folder')
    expect(doctor.stdout).toContain("fix: set the database step's `migrations:` to the folder knex reads")
  })

  it("a plain file as `migrations:` (Medusa's lockfile: its modules' migrations live in node_modules) is checked by its fingerprint, and a wildcard finding only a .gitkeep is still a wrong folder", async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe('yarn.lock', '    env: { MIGRATIONS_DIR: vendor/mods/migrations }\n'),
      'migrate.cjs': migrateTool('pg', 'knex'),
      'yarn.lock': '# mods@1\n',
      'vendor/mods/migrations/001_users.js': 'module.exports = "CREATE TABLE users (id serial)"',
    })
    const up = await runCli(['up'], { cwd: repo, env: env('lockfile_dev') })
    expect(up.code, up.stdout).toBe(0)
    const green = await runCli(['doctor'], { cwd: repo, env: env('lockfile_dev') })
    expect(green.code, green.stdout).toBe(0)
    expect(green.stdout).toContain('checked by file fingerprint only')
    writeFiles(repo, { 'yarn.lock': '# mods@2\n' })
    const red = await runCli(['doctor'], { cwd: repo, env: env('lockfile_dev') })
    expect(red.code).toBe(1)
    expect(red.stdout).toContain('migrations changed since the last migrate (yarn.lock)')

    const kept = tempRepo({
      'devsetup.yml': recipe('migrations/**', '    env: { MIGRATIONS_DIR: server/migrations }\n'),
      'migrate.cjs': migrateTool('pg', 'knex'),
      'migrations/.gitkeep': '',
      'server/migrations/001_users.js': 'module.exports = "CREATE TABLE users (id serial)"',
    })
    const wrong = await runCli(['up'], { cwd: kept, env: env('gitkeep_dev') })
    expect(wrong.code).toBe(1)
    expect(wrong.stdout).toContain('the step points at a wrong folder')
  })

  it('a table the recipe names (`migrations_table`, knex with tableName) is read by its columns', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe('db/migrations/*.js', '      migrations_table: app_migrations\n'),
      'migrate.cjs': migrateTool('pg', 'knex', 'app_migrations'),
      'db/migrations/001_users.js': 'module.exports = "CREATE TABLE users (id serial)"',
    })
    expect((await runCli(['up'], { cwd: repo, env: env('named_dev') })).code).toBe(0)
    writeFiles(repo, { 'db/migrations/002_more.js': 'module.exports = "CREATE TABLE more (id serial)"' })
    const red = await runCli(['doctor'], { cwd: repo, env: env('named_dev') })
    expect(red.stdout).toContain('1 migration not applied (app_migrations): db/migrations/002_more.js')
  })

  it('a tool devsetup does not know keeps the fingerprint check, and doctor says so', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe('db/migrations/*.sql'),
      'migrate.cjs': migrateTool('pg', 'unknown'),
      'db/migrations/001_users.sql': 'CREATE TABLE users (id serial)',
    })
    expect((await runCli(['up'], { cwd: repo, env: env('unknown_dev') })).code).toBe(0)
    const doctor = await runCli(['doctor'], { cwd: repo, env: env('unknown_dev') })
    expect(doctor.code).toBe(0)
    expect(doctor.stdout).toContain(
      'migrations current (1 file; checked by file fingerprint only: no migration table devsetup knows in unknown_dev lists these files)',
    )
  })
})

describe.runIf(mysqlServer)('database migrations: MariaDB, Rails-shaped schema_migrations', () => {
  const services = mysqlServices()
  let port = 0
  const url = (db: string) => `mysql://app:app-Secret-pw42@127.0.0.1:${port}/${db}`
  beforeAll(async () => {
    port = await freePort()
    await startMariadb(services, url(''))
  }, 120_000)

  it('compares the versions with the files; a version missing from the table is named', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe('db/migrate/*.sql'),
      'migrate.cjs': migrateTool('mysql', 'rails'),
      'db/migrate/20240101000000_create_users.sql': 'CREATE TABLE users (id int)',
      'db/migrate/20240202000000_create_posts.sql': 'CREATE TABLE posts (id int)',
    })
    const env = { TEST_DATABASE_URL: url('rails_dev'), MIGRATIONS_DIR: 'db/migrate' }
    expect((await runCli(['up'], { cwd: repo, env })).code).toBe(0)
    const green = await runCli(['doctor'], { cwd: repo, env })
    expect(green.stdout).toContain('migrations current (2 files, all applied in schema_migrations)')

    // `rails db:rollback`'s record without its files changing: the fingerprint cannot see it.
    const mysql = (await import('mysql2/promise')).default
    const c = await mysql.createConnection(url('rails_dev'))
    await c.query("DELETE FROM schema_migrations WHERE version = '20240202000000'")
    await c.query('DROP TABLE posts')
    await c.end()
    const red = await runCli(['doctor'], { cwd: repo, env })
    expect(red.code).toBe(1)
    expect(red.stdout).toContain(
      '1 migration not applied (schema_migrations): db/migrate/20240202000000_create_posts.sql',
    )
    expect((await runCli(['up'], { cwd: repo, env })).stdout).toContain('changed: migrated')
    expect((await runCli(['doctor'], { cwd: repo, env })).code).toBe(0)
  })
})

/** A SQLite migrate in the shape of knex's, through the sqlite3 command, into $DB (default: the step's file). */
const sqliteMigrate = `db="\${DB:-$DATABASE_PATH}"
sqlite3 "$db" "CREATE TABLE IF NOT EXISTS knex_migrations (id integer primary key, name varchar(255), batch integer, migration_time datetime)"
for f in $(ls db/migrations | sort); do
  [ "$(sqlite3 "$db" "SELECT count(*) FROM knex_migrations WHERE name = '$f'")" = 0 ] || continue
  sqlite3 "$db" < "db/migrations/$f" && sqlite3 "$db" "INSERT INTO knex_migrations (name, batch) VALUES ('$f', 1)"
done
`
const sqliteRecipe = (extra = '') => `version: 1
steps:
  - database:
      engine: sqlite
      path: var/dev.sqlite3
      migrate: sh migrate.sh
      migrations: db/migrations/*
${extra}`
const sqlite = (file: string, sql: string) => execFileSync('sqlite3', [file, sql], { encoding: 'utf8' })

describe('database migrations: SQLite', () => {
  it('knex-shaped: a new migration file makes doctor red, naming it; up applies it; rows stay', async () => {
    const repo = tempRepo({
      'devsetup.yml': sqliteRecipe(),
      'migrate.sh': sqliteMigrate,
      'db/migrations/001_users.js': 'CREATE TABLE users (name text);',
    })
    const file = path.join(repo, 'var/dev.sqlite3')
    const first = await runCli(['up'], { cwd: repo })
    expect(first.code, first.stdout).toBe(0)
    sqlite(file, "INSERT INTO users VALUES ('precious')")
    expect((await runCli(['doctor'], { cwd: repo })).stdout).toContain(
      'ok: database var/dev.sqlite3 exists, migrations current (1 file, all applied in knex_migrations)',
    )
    writeFiles(repo, { 'db/migrations/002_email.js': 'ALTER TABLE users ADD COLUMN email text;' })
    const red = await runCli(['doctor'], { cwd: repo })
    expect(red.code).toBe(1)
    expect(red.stdout).toContain(
      'unmet: 1 migration not applied (knex_migrations): db/migrations/002_email.js',
    )
    expect((await runCli(['up'], { cwd: repo })).stdout).toContain('changed: migrated')
    expect((await runCli(['doctor'], { cwd: repo })).code).toBe(0)
    expect(sqlite(file, 'SELECT name FROM users').trim()).toBe('precious')
  })

  it("a seed that empties the migration tool's table (fastify/demo truncates every table) fails, naming the seed", async () => {
    const repo = tempRepo({
      'devsetup.yml': sqliteRecipe('      seed: sh seed.sh\n'),
      'migrate.sh': sqliteMigrate,
      'seed.sh':
        'for t in $(sqlite3 "$DATABASE_PATH" .tables); do sqlite3 "$DATABASE_PATH" "DELETE FROM $t"; done\nsqlite3 "$DATABASE_PATH" "INSERT INTO users VALUES (\'seeded\')"\n',
      'db/migrations/001_users.js': 'CREATE TABLE users (name text);',
    })
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code).toBe(1)
    expect(up.stdout).toContain(
      "`sh seed.sh` changed the migration tool's record: migrations were current before it, and after it 1 migration not applied (knex_migrations)",
    )
    expect(up.stdout).toContain("make the seed leave the migration tool's table alone")
    // The seeded rows are the app's: nothing is undone, and the next doctor is still red.
    expect(sqlite(path.join(repo, 'var/dev.sqlite3'), 'SELECT name FROM users').trim()).toBe('seeded')
    expect((await runCli(['doctor'], { cwd: repo })).code).toBe(1)
  })

  it('a file the migrate left without tables is a failure naming it, and the file the app wrote', async () => {
    // The app's knexfile reads DB_FILENAME=db/data: its migrate never touches the step's file.
    const repo = tempRepo({
      'devsetup.yml': sqliteRecipe('    env: { DB: db/data }\n'),
      'migrate.sh': `mkdir -p db\n${sqliteMigrate}`,
      'db/migrations/001_users.js': 'CREATE TABLE users (name text);',
    })
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code).toBe(1)
    expect(up.stdout).toContain(
      "var/dev.sqlite3 has no tables (0 bytes) after `migrate`: the app's migrate wrote its database to another file (SQLite files here: db/data)",
    )
    expect(up.stdout).toContain("point the step's `path` at the file the app's config names")
    expect(statSync(path.join(repo, 'var/dev.sqlite3')).size).toBe(0)
    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain('var/dev.sqlite3 has no tables (0 bytes)')
  })

  it('a migrated file emptied in place is red without blaming the migrate, and up migrates it again', async () => {
    const repo = tempRepo({
      'devsetup.yml': sqliteRecipe(),
      'migrate.sh': sqliteMigrate,
      'db/migrations/001_users.js': 'CREATE TABLE users (name text);',
    })
    expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
    execFileSync('sh', ['-c', ': > var/dev.sqlite3'], { cwd: repo })
    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain(
      'var/dev.sqlite3 has no tables (0 bytes) though an earlier run migrated this same file: emptied since',
    )
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code, up.stdout).toBe(0)
    expect(sqlite(path.join(repo, 'var/dev.sqlite3'), '.tables')).toContain('users')
  })

  it('golang-migrate: a dirty schema_migrations is red, whatever the files say', async () => {
    const repo = tempRepo({
      'devsetup.yml': sqliteRecipe().replace('sh migrate.sh', '"true"'),
      'db/migrations/1_users.up.sql': 'CREATE TABLE users (name text);',
      'db/migrations/1_users.down.sql': 'DROP TABLE users;',
      'db/migrations/2_posts.up.sql': 'CREATE TABLE posts (name text);',
      'db/migrations/2_posts.down.sql': 'DROP TABLE posts;',
    })
    const file = path.join(repo, 'var/dev.sqlite3')
    execFileSync('mkdir', ['-p', path.dirname(file)])
    sqlite(
      file,
      'CREATE TABLE schema_migrations (version bigint, dirty boolean); INSERT INTO schema_migrations VALUES (2, 0)',
    )
    expect((await runCli(['up'], { cwd: repo })).stdout).toContain(
      'migrations current (2 files, all applied in schema_migrations)',
    )
    sqlite(file, 'UPDATE schema_migrations SET version = 1')
    expect((await runCli(['doctor'], { cwd: repo })).stdout).toContain(
      '1 migration not applied (schema_migrations): db/migrations/2_posts.up.sql',
    )
    sqlite(file, 'UPDATE schema_migrations SET version = 2, dirty = 1')
    const dirty = await runCli(['doctor'], { cwd: repo })
    expect(dirty.code).toBe(1)
    expect(dirty.stdout).toContain('schema_migrations is dirty at version 2: that migration failed halfway')
  })

  // On a Node with node:sqlite (22.13+), that is the reader: there is always one.
  const hasNodeSqlite = Boolean(
    (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:sqlite'),
  )
  it.runIf(!hasNodeSqlite)(
    'with neither node:sqlite nor the sqlite3 command, the check is unmet and says so',
    async () => {
      const repo = tempRepo({
        'devsetup.yml': sqliteRecipe(),
        'migrate.sh': sqliteMigrate,
        'db/migrations/001_users.js': 'CREATE TABLE users (name text);',
      })
      expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
      const blind = await runCli(['doctor'], { cwd: repo, env: { PATH: '/nonexistent' } })
      expect(blind.code).toBe(1)
      expect(blind.stdout).toContain(
        `unmet: cannot read var/dev.sqlite3: this Node (${process.version}) has no node:sqlite and there is no \`sqlite3\` command`,
      )
      expect(blind.stdout).toContain('fix: install the sqlite3 command')
      expect(existsSync(path.join(repo, 'var/dev.sqlite3'))).toBe(true)
    },
  )
})
