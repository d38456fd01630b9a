// A table dropped from a SQLite database the app makes and migrates itself, with no `database`
// step (uptime-kuma's data/kuma.db, `DROP TABLE setting` while it runs): the app answers on,
// broken. `up` notes, in the server's record in the user's state folder, the tables of each
// SQLite file the server holds open; a noted table gone is red; `up` restarts the app, and fails
// if the app does not make it again at boot; `up --force` accepts; the app's own migration (a row
// more in its migration tool's table) notes anew. A real server holding a real SQLite connection
// open (the sqlite3 shell, in WAL and in rollback mode), real sqlite3 edits, the built CLI.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards, serverStarts } from './restart/servers.js'

// At boot the app makes its schema as knex's migrate.latest would (a knex_migrations row for it),
// unless `no-remake` is there and the file exists: then it trusts its migration record and makes
// nothing (what uptime-kuma does with a dropped table). It serves once its connection is open.
const server = `
const fs = require('node:fs')
const { execFileSync, spawn } = require('node:child_process')
const [port, mode] = process.argv.slice(2)
fs.mkdirSync('data', { recursive: true })
if (!fs.existsSync('data/app.db') || !fs.existsSync('no-remake'))
  execFileSync('sqlite3', ['data/app.db', \`PRAGMA journal_mode=\${mode};
    CREATE TABLE IF NOT EXISTS knex_migrations (id integer primary key, name varchar(255), batch integer, migration_time datetime);
    CREATE TABLE IF NOT EXISTS setting (key text, value text);
    CREATE TABLE IF NOT EXISTS monitor (id integer);
    INSERT INTO knex_migrations (name, batch) SELECT 'init.js', 1 WHERE NOT EXISTS (SELECT 1 FROM knex_migrations);\`])
// With \`strict\`, it dies at boot without its setting table, as uptime-kuma does ("no such table: setting").
if (fs.existsSync('strict') && !execFileSync('sqlite3', ['data/app.db', ".tables setting"]).length) process.exit(1)
const db = spawn('sqlite3', ['data/app.db'], { stdio: ['pipe', 'pipe', 'inherit'] })
db.stdin.write('SELECT count(*) FROM sqlite_master;\\n')
db.stdout.once('data', () =>
  require('node:http').createServer((req, res) => res.end('ok')).listen(Number(port), '127.0.0.1'))
`

const recipe = (port: number, mode: string) => `version: 1
steps:
  - name: Dev server
    id: server
    restart:
      start: node server.js ${port} ${mode}
      health: http://127.0.0.1:${port}/
`

const noted = (dir: string) =>
  JSON.parse(readFileSync(path.join(stateDirOf(dir), 'server.json'), 'utf8')).sqlite?.[0]
const sql = (dir: string, statements: string) =>
  execFileSync('sqlite3', ['data/app.db', statements], { cwd: dir })

async function started(mode: string) {
  const port = await freePort()
  const dir = tempRepo({ 'server.js': server, 'devsetup.yml': recipe(port, mode) })
  killServersAfterwards(dir)
  const up = await runCli(['up'], { cwd: dir })
  expect(up.code, up.stdout + up.stderr).toBe(0)
  return dir
}

describe.each(['WAL', 'DELETE'])(
  'restart: a table gone from the SQLite database the app owns (%s mode)',
  (mode) => {
    it('is red naming the table; up restarts the app, which makes it again, and is green', async () => {
      const dir = await started(mode)
      // Names only, in devsetup's own record, outside the repository.
      expect(noted(dir)).toMatchObject({
        file: 'data/app.db',
        tables: ['knex_migrations', 'monitor', 'setting'],
        migrations: { table: 'knex_migrations', rows: 1 },
      })
      expect(existsSync(path.join(dir, 'data/app.db-wal'))).toBe(mode === 'WAL')
      expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

      sql(dir, 'DROP TABLE setting')
      const red = await runCli(['doctor'], { cwd: dir })
      expect(red.code, red.stdout).toBe(1)
      expect(red.stdout).toContain(
        "table setting is gone from data/app.db since the last `up` (1 of 3 tables missing): the app's data in it is lost",
      )
      expect(red.stdout).toContain('`devsetup up` restarts the app, which may make it again at boot')

      const up = await runCli(['up'], { cwd: dir })
      expect(up.code, up.stdout).toBe(0)
      expect(serverStarts(dir)).toBe(2)
      expect(noted(dir).tables).toEqual(['knex_migrations', 'monitor', 'setting'])
      expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)
    })

    it('the app does not make it again: up fails saying so, doctor stays red; up --force accepts', async () => {
      const dir = await started(mode)
      writeFileSync(path.join(dir, 'no-remake'), '')
      sql(dir, 'DROP TABLE setting')

      const up = await runCli(['up'], { cwd: dir })
      expect(up.code, up.stdout).toBe(1)
      expect(serverStarts(dir)).toBe(2)
      expect(up.stdout).toContain('table setting is gone from data/app.db since the last `up`')
      expect(up.stdout).toContain('the app did not make it again at boot: restore data/app.db from a backup')
      // The note was carried over the restart: still red, still naming the table.
      const red = await runCli(['doctor'], { cwd: dir })
      expect(red.code, red.stdout).toBe(1)
      expect(red.stdout).toContain('table setting is gone from data/app.db')

      const forced = await runCli(['up', '--force'], { cwd: dir })
      expect(forced.code, forced.stdout).toBe(0)
      expect(noted(dir).tables).toEqual(['knex_migrations', 'monitor'])
      expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)
      expect((await runCli(['up'], { cwd: dir })).code).toBe(0)
    })

    it('the app dies at boot without it: up fails, and doctor names the table beside the server being down', async () => {
      const dir = await started(mode)
      writeFileSync(path.join(dir, 'no-remake'), '')
      writeFileSync(path.join(dir, 'strict'), '')
      sql(dir, 'DROP TABLE setting')
      const up = await runCli(['up'], { cwd: dir })
      expect(up.code, up.stdout).toBe(1)
      const red = await runCli(['doctor'], { cwd: dir })
      expect(red.code, red.stdout).toBe(1)
      expect(red.stdout).toContain('server not running')
      expect(red.stdout).toContain('table setting is gone from data/app.db since the last `up`')
    })

    it("a table renamed by the app's own migration (a knex_migrations row more) is not red; the next up notes anew", async () => {
      const dir = await started(mode)
      sql(dir, 'ALTER TABLE monitor RENAME TO monitors')
      // Renamed with no migration recorded: the noted name is gone.
      const red = await runCli(['doctor'], { cwd: dir })
      expect(red.code, red.stdout).toBe(1)
      expect(red.stdout).toContain('table monitor is gone from data/app.db')

      sql(dir, "INSERT INTO knex_migrations (name, batch) VALUES ('20261207_rename_monitor.js', 2)")
      const doctor = await runCli(['doctor'], { cwd: dir })
      expect(doctor.code, doctor.stdout).toBe(0)
      const up = await runCli(['up'], { cwd: dir })
      expect(up.code, up.stdout).toBe(0)
      expect(serverStarts(dir)).toBe(1)
      expect(noted(dir)).toMatchObject({
        tables: ['knex_migrations', 'monitors', 'setting'],
        migrations: { table: 'knex_migrations', rows: 2 },
      })
      // A migration that changes no table, then a no-op up: the count is noted too, so a loss
      // after it is not taken for the app's migration.
      sql(dir, "INSERT INTO knex_migrations (name, batch) VALUES ('20261208_fill_settings.js', 3)")
      expect((await runCli(['up'], { cwd: dir })).code).toBe(0)
      expect(noted(dir).migrations).toEqual({ table: 'knex_migrations', rows: 3 })
      // Noted anew: the old name is no longer asked for, the new one is.
      sql(dir, 'DROP TABLE monitors')
      expect((await runCli(['doctor'], { cwd: dir })).stdout).toContain('table monitors is gone')
    })
  },
)

describe("restart: a SQLite file a database step names is that step's to note", () => {
  it('the restart notes the file as SQLite but not its tables: one accept of a loss, not two (flame)', async () => {
    const port = await freePort()
    const dir = tempRepo({
      'server.js': server,
      'devsetup.yml': `version: 1
steps:
  - database:
      engine: sqlite
      path: data/app.db
  - name: Dev server
    id: server
    restart:
      start: node server.js ${port} WAL
      health: http://127.0.0.1:${port}/
`,
    })
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(noted(dir)).toMatchObject({ file: 'data/app.db' })
    expect(noted(dir).tables).toBeUndefined()
    // The database step's own note holds them: a drop is red there, once.
    writeFileSync(path.join(dir, 'no-remake'), '')
    sql(dir, 'DROP TABLE setting')
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code).toBe(1)
    expect(red.stdout).toContain('table setting is gone since the last `up`')
    expect(red.stdout).not.toContain('gone from data/app.db')
  })
})
