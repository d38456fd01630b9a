// The app's SQLite database deleted while its server runs (uptime-kuma's `rm data/kuma.db`, with
// the file's path computed in the app's code, so no database step names it): the server still
// answers from the deleted file, so only the server's own open files can tell. doctor is red,
// naming the file; up restarts the server, which makes a new one. A real sqlite3-made file, a
// real server holding it open, the built CLI.
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards } from './restart/servers.js'

// Opens (making it first, as an app's ORM does) data/app.db and keeps it open while it serves.
const server = `
const fs = require('node:fs')
const { execFileSync } = require('node:child_process')
fs.mkdirSync('data', { recursive: true })
if (!fs.existsSync('data/app.db')) execFileSync('sqlite3', ['data/app.db', 'CREATE TABLE users (id integer)'])
const fd = fs.openSync('data/app.db', 'r+')
const log = fs.openSync('data/server.log', 'a')
const pads = fs.openSync('data/pads.db', 'a')
require('node:http').createServer((req, res) => res.end('ok ' + fd + log + pads)).listen(Number(process.argv[2]), '127.0.0.1')
`

describe('restart: the database the running server holds open', () => {
  it('deleted behind its back is red in doctor, naming the file; up restarts it; another deleted file is not', async () => {
    const port = await freePort()
    const dir = tempRepo({
      'server.js': server,
      'devsetup.yml': `version: 1
steps:
  - restart:
      start: node server.js ${port}
      health: http://127.0.0.1:${port}/
`,
    })
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    // A deleted log the server appends to changes nothing.
    execFileSync('rm', ['data/server.log'], { cwd: dir })
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    // A data file it writes (etherpad's var/dirty.db, not SQLite) is its database too.
    execFileSync('rm', ['data/pads.db'], { cwd: dir })
    const pads = await runCli(['doctor'], { cwd: dir })
    expect(pads.code).toBe(1)
    expect(pads.stdout).toContain(
      'on a deleted database: data/pads.db was deleted while the server held it open',
    )
    expect((await runCli(['up'], { cwd: dir })).code).toBe(0)
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    execFileSync('rm', ['data/app.db'], { cwd: dir })
    // The app still answers: only its open files say the data is gone.
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toMatch(/^ok/)
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code).toBe(1)
    expect(red.stdout).toContain(
      'on a deleted database: data/app.db was deleted while the server held it open',
    )

    const repaired = await runCli(['up'], { cwd: dir })
    expect(repaired.code, repaired.stdout).toBe(0)
    expect(repaired.stdout).toMatch(/restart/)
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)
  })

  it('emptied in place (same inode) while a WAL connection holds it is red, naming the file; an intact one is green', async () => {
    const port = await freePort()
    const dir = tempRepo({ 'server.js': walServer, 'devsetup.yml': recipe(port) })
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    // The connection is open in WAL mode: SQLite keeps data/app.db-wal and -shm beside it.
    await waitFor(() => existsSync(path.join(dir, 'data/app.db-wal')))
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    // `: > data/app.db`: the same file, now 0 bytes; the app still answers.
    const inode = statSync(path.join(dir, 'data/app.db')).ino
    execFileSync('sh', ['-c', ': > data/app.db'], { cwd: dir })
    expect(statSync(path.join(dir, 'data/app.db')).ino).toBe(inode)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toMatch(/^ok/)
    const empty = await runCli(['doctor'], { cwd: dir })
    expect(empty.code, empty.stdout).toBe(1)
    expect(empty.stdout).toContain(
      'on an emptied database: data/app.db is 0 bytes while the server holds it open',
    )
    expect(empty.stdout).toContain('beside it app.db-wal')

    // Pages written into it again, but no header: still no SQLite database.
    execFileSync('sh', ['-c', 'head -c 4096 /dev/zero > data/app.db'], { cwd: dir })
    const headless = await runCli(['doctor'], { cwd: dir })
    expect(headless.code).toBe(1)
    expect(headless.stdout).toContain("data/app.db no longer starts with SQLite's header (4096 bytes)")

    // Removed as the message says: up restarts the server, which makes a new database.
    execFileSync('sh', ['-c', 'rm -f data/app.db data/app.db-wal data/app.db-shm'], { cwd: dir })
    const repaired = await runCli(['up'], { cwd: dir })
    expect(repaired.code, repaired.stdout).toBe(0)
    await waitFor(() => existsSync(path.join(dir, 'data/app.db-wal')))
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)
  })

  it("emptied in place in SQLite's default rollback mode (nothing beside it) is red by its .sqlite name", async () => {
    const port = await freePort()
    const dir = tempRepo({ 'server.js': rollbackServer, 'devsetup.yml': recipe(port) })
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    await waitFor(
      () =>
        existsSync(path.join(dir, 'data/app.sqlite')) && statSync(path.join(dir, 'data/app.sqlite')).size > 0,
    )
    expect(existsSync(path.join(dir, 'data/app.sqlite-journal'))).toBe(false)
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    execFileSync('sh', ['-c', ': > data/app.sqlite'], { cwd: dir })
    const empty = await runCli(['doctor'], { cwd: dir })
    expect(empty.code, empty.stdout).toBe(1)
    expect(empty.stdout).toContain(
      'on an emptied database: data/app.sqlite is 0 bytes while the server holds it open (.sqlite, a SQLite database',
    )
  })
})

// The same in SQLite's default rollback mode (Maintainerr's, audiobookshelf's): once a write is
// committed no file is left beside the database; only its name tells.
const rollbackServer = `
const fs = require('node:fs')
const { spawn } = require('node:child_process')
fs.mkdirSync('data', { recursive: true })
const db = spawn('sqlite3', ['data/app.sqlite'], { stdio: ['pipe', 'ignore', 'inherit'] })
db.stdin.write('CREATE TABLE IF NOT EXISTS users (id integer);\\nINSERT INTO users VALUES (1);\\n')
require('node:http').createServer((req, res) => res.end('ok')).listen(Number(process.argv[2]), '127.0.0.1')
`

// A server whose database connection is a sqlite3 process of its own, kept open in WAL mode (as
// uptime-kuma's is): the real SQLite keeps its -wal and -shm files while it runs.
const walServer = `
const fs = require('node:fs')
const { spawn } = require('node:child_process')
fs.mkdirSync('data', { recursive: true })
const db = spawn('sqlite3', ['data/app.db'], { stdio: ['pipe', 'ignore', 'inherit'] })
db.stdin.write('PRAGMA journal_mode=WAL;\\nCREATE TABLE IF NOT EXISTS users (id integer);\\nINSERT INTO users VALUES (1);\\n')
require('node:http').createServer((req, res) => res.end('ok')).listen(Number(process.argv[2]), '127.0.0.1')
`

function recipe(port: number): string {
  return `version: 1
steps:
  - restart:
      start: node server.js ${port}
      health: http://127.0.0.1:${port}/
`
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 100))
  expect(condition()).toBe(true)
}
