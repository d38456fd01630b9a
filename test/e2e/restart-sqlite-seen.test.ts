// A `.db` SQLite database in the default rollback mode, emptied in place while the server holds it
// open (`: > data/app.db`, same inode, nothing beside it): no header, no -wal/-journal, a name
// SQLite shares with etherpad's text dirty.db. `up` notes, while the header is there, which open
// files are SQLite databases (in the server's record, in the user's state folder); the check
// judges the emptied file by that note. A real sqlite3-made file, a real server holding it open
// (reading its header is devsetup's part), the built CLI.
import { execFileSync } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards } from './restart/servers.js'

// Opens data/app.db (made by sqlite3 as an ORM's first migrate would; rollback mode, so nothing is
// left beside it) and data/dirty.db, a text store it appends to (etherpad's shape), at boot;
// with `lazy`, opens app.db only when /users is first asked (not by the health check), as an app
// that connects on demand does.
const server = (lazy: boolean) => `
const fs = require('node:fs')
const { execFileSync } = require('node:child_process')
fs.mkdirSync('data', { recursive: true })
if (!fs.existsSync('data/app.db')) execFileSync('sqlite3', ['data/app.db', 'CREATE TABLE users (id integer); INSERT INTO users VALUES (1);'])
const dirty = fs.openSync('data/dirty.db', 'a')
fs.writeSync(dirty, '{"key":"pad:1","val":"hello"}\\n')
let db = ${lazy ? 'undefined' : "fs.openSync('data/app.db', 'r+')"}
require('node:http').createServer((req, res) => {
  if (req.url === '/users') db ??= fs.openSync('data/app.db', 'r+')
  res.end('ok ' + db + dirty)
}).listen(Number(process.argv[2]), '127.0.0.1')
`

const recipe = (port: number) => `version: 1
steps:
  - name: Dev server
    id: server
    restart:
      start: node server.js ${port}
      health: http://127.0.0.1:${port}/
`

const record = (dir: string) => path.join(stateDirOf(dir), 'server.json')
const noted = (dir: string) => JSON.parse(readFileSync(record(dir), 'utf8')).sqlite

describe('restart: a SQLite database the running server holds open, emptied in place', () => {
  it('a rollback-mode .db seen as SQLite when devsetup started the server is red once emptied; a text dirty.db is not', async () => {
    const port = await freePort()
    const dir = tempRepo({ 'server.js': server(false), 'devsetup.yml': recipe(port) })
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    // Noted by devsetup in its own record, outside the repository: the database, not the text file.
    const app = statSync(path.join(dir, 'data/app.db'))
    // With its tables' names (restart-sqlite-tables.test.ts), never its rows.
    expect(noted(dir)).toEqual([
      { file: 'data/app.db', dev: app.dev, ino: app.ino, atStart: true, tables: ['users'] },
    ])
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    // The text store emptied: a `.db` never seen with SQLite's header, so not a SQLite database.
    execFileSync('sh', ['-c', ': > data/dirty.db'], { cwd: dir })
    const text = await runCli(['doctor'], { cwd: dir })
    expect(text.code, text.stdout).toBe(0)

    // `: > data/app.db`: the same inode, 0 bytes, nothing beside it; the app still answers.
    execFileSync('sh', ['-c', ': > data/app.db'], { cwd: dir })
    expect(statSync(path.join(dir, 'data/app.db')).ino).toBe(app.ino)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toMatch(/^ok/)
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toMatch(/Dev server/)
    expect(red.stdout).toContain(
      'on an emptied database: data/app.db is 0 bytes while the server holds it open (it was a SQLite database when devsetup started the server)',
    )

    // up restarts the server; the new one's record starts a new note (the 0-byte file is in none).
    const repaired = await runCli(['up'], { cwd: dir })
    expect(repaired.code, repaired.stdout).toBe(0)
    expect(repaired.stdout).toMatch(/started `node server\.js/)
    expect(noted(dir)).toBeUndefined()
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)
  })

  it('a database the app opens only later is noted by the next up on the running server; a record without a note reads as none', async () => {
    const port = await freePort()
    const dir = tempRepo({ 'server.js': server(true), 'devsetup.yml': recipe(port) })
    killServersAfterwards(dir)
    expect((await runCli(['up'], { cwd: dir })).code).toBe(0)
    // Not open while `up` looked: not noted (the limit the check's comment names).
    expect(noted(dir)).toBeUndefined()
    await fetch(`http://127.0.0.1:${port}/users`)

    // A record from before the note, or with a malformed one, reads as "none noted": no error.
    const old = JSON.parse(readFileSync(record(dir), 'utf8'))
    writeFileSync(record(dir), JSON.stringify({ ...old, sqlite: 'not a list' }))
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    // The next `up` finds the server running and well, and notes what it holds open now.
    const again = await runCli(['up'], { cwd: dir })
    expect(again.code, again.stdout).toBe(0)
    expect(again.stdout).not.toMatch(/started `node server\.js/)
    const app = statSync(path.join(dir, 'data/app.db'))
    expect(noted(dir)).toEqual([{ file: 'data/app.db', dev: app.dev, ino: app.ino, tables: ['users'] }])

    execFileSync('sh', ['-c', 'head -c 4096 /dev/zero > data/app.db'], { cwd: dir })
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toContain(
      "data/app.db no longer starts with SQLite's header (4096 bytes) while the server holds it open (it was a SQLite database when `devsetup up` last found the server running)",
    )
  })
})
