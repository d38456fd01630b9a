// `load:` (bin/rails db:schema:load, as db:prepare does it): the schema is loaded into a
// database this run created, before `migrate`; a database that exists — with data in it — only
// ever gets `migrate`. Real SQLite files, written by the sqlite3 command as Rails would write them.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo, writeFiles } from '../helpers.js'

const sqlite = (file: string, sql: string) => execFileSync('sqlite3', [file, sql], { encoding: 'utf8' })

// A Rails-shaped schema load and migrate: each records itself in ran.log and in schema_migrations.
const load = `sqlite3 db/dev.sqlite3 "CREATE TABLE schema_migrations (version varchar PRIMARY KEY); CREATE TABLE users (name text); INSERT INTO schema_migrations VALUES ('20240101000000')" && echo load >> ran.log`
const migrate = `for f in db/migrate/*.rb; do v=$(basename "$f" | cut -d_ -f1); sqlite3 db/dev.sqlite3 "INSERT OR IGNORE INTO schema_migrations VALUES ('$v')"; done; echo migrate >> ran.log`
const recipe = `version: 1
steps:
  - database:
      engine: sqlite
      path: db/dev.sqlite3
      load: ${JSON.stringify(load)}
      migrate: ${JSON.stringify(migrate)}
      migrations: db/migrate/*.rb
`

describe('database load:', () => {
  it('loads the schema only into a database this run created; an existing one with data is only migrated', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe,
      'db/migrate/20240101000000_create_users.rb': '# create_table :users\n',
    })
    const first = await runCli(['up'], { cwd: dir })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(first.stdout).toMatch(/changed: created db\/dev\.sqlite3, loaded the schema, migrated/)
    expect(readFileSync(path.join(dir, 'ran.log'), 'utf8')).toBe('load\nmigrate\n')

    sqlite(path.join(dir, 'db/dev.sqlite3'), "INSERT INTO users VALUES ('kept')")
    writeFiles(dir, { 'db/migrate/20240202000000_add_email.rb': '# add_column :users, :email\n' })
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.code).toBe(1)
    const second = await runCli(['up'], { cwd: dir })
    expect(second.code, second.stdout + second.stderr).toBe(0)
    // No second load over a database holding data: only migrate ran.
    expect(readFileSync(path.join(dir, 'ran.log'), 'utf8')).toBe('load\nmigrate\nmigrate\n')
    expect(sqlite(path.join(dir, 'db/dev.sqlite3'), 'SELECT name FROM users')).toBe('kept\n')
    expect(existsSync(path.join(dir, 'db/dev.sqlite3'))).toBe(true)
  })
})

// An app with no migration tool, whose own script builds its tables (`sequelize.sync()`): the
// step has `load` and no `migrate`. The file's tables are the truth, never "no migrate".
const build = `sqlite3 data/app.sqlite "CREATE TABLE users (name text)" && echo load >> ran.log`
const loadOnly = (command: string) => `version: 1
steps:
  - database:
      engine: sqlite
      path: data/app.sqlite
      load: ${JSON.stringify(command)}
`

describe('database load: without migrate', () => {
  it('a SQLite file without tables is red (also 0 bytes, as an app leaves it) and gets the load; one with data is kept', async () => {
    const dir = tempRepo({ 'devsetup.yml': loadOnly(build) })
    const file = path.join(dir, 'data/app.sqlite')
    const first = await runCli(['up'], { cwd: dir })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(first.stdout).toMatch(/changed: created data\/app\.sqlite, loaded the schema/)
    const green = await runCli(['doctor'], { cwd: dir })
    expect(green.code, green.stdout).toBe(0)
    expect(green.stdout).toContain('schema loaded (1 table; no migrate)')

    sqlite(file, "INSERT INTO users VALUES ('kept')")
    const noop = await runCli(['up'], { cwd: dir })
    expect(noop.code).toBe(0)
    expect(readFileSync(path.join(dir, 'ran.log'), 'utf8')).toBe('load\n')
    expect(sqlite(file, 'SELECT name FROM users')).toBe('kept\n')

    // The app opened the file before its setup ran: 0 bytes, no tables. Never green.
    writeFiles(dir, { 'data/app.sqlite': '' })
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toContain('data/app.sqlite has no tables')
    const repaired = await runCli(['up'], { cwd: dir })
    expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0)
    expect(repaired.stdout).toContain('loaded the schema')
    expect(readFileSync(path.join(dir, 'ran.log'), 'utf8')).toBe('load\nload\n')
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)
  })

  it('a load that builds its tables in another file fails, naming the empty one', async () => {
    const dir = tempRepo({ 'devsetup.yml': loadOnly('sqlite3 other.sqlite "CREATE TABLE t (x)"') })
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout).not.toBe(0)
    expect(up.stdout + up.stderr).toMatch(/data\/app\.sqlite has no tables after `sqlite3 other\.sqlite/)
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(1)
  })
})
