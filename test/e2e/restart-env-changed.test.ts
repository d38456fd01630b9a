// A changed .env restarts the server: the app reads its env file once, at boot, so a value changed
// afterwards is not what it runs on. A real server that loads .env as dotenv does, a real process
// group started by the built CLI: doctor is red naming the file and the keys (never a value), `up`
// restarts it once — also when the dotenv step's own fill changed the file in the same run —, and
// a comment edited, or a sibling app's env file, changes nothing.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards, serverStarts as starts } from './restart/servers.js'

// Loads .env at boot (first definition wins, as dotenv); answers 500 without its database name.
const server = `
const fs = require('node:fs')
for (const line of fs.readFileSync('.env', 'utf8').split('\\n')) {
  const m = /^([A-Z_]+)=(.*)$/.exec(line)
  if (m && !(m[1] in process.env)) process.env[m[1]] = m[2]
}
require('node:http').createServer((req, res) => {
  res.statusCode = process.env.APP_DB ? 200 : 500
  res.end(\`db=\${process.env.APP_DB} greeting=\${process.env.GREETING}\`)
}).listen(Number(process.argv[2]), '127.0.0.1')
`

const example = '# the app\nAPP_DB=app_dev\nGREETING=hi\n'

const answer = async (port: number) => {
  const res = await fetch(`http://127.0.0.1:${port}/`)
  return `${res.status} ${await res.text()}`
}

describe('restart: the env files the server loads', () => {
  it('changed since its start: red naming file and keys, up restarts it once; a dotenv fill restarts once too', async () => {
    const port = await freePort()
    const dir = tempRepo({
      'api/server.js': server,
      'api/.env.example': example,
      'web/.env.example': 'VITE_TITLE=x\n',
      'devsetup.yml': `version: 1
steps:
  - dotenv: { required: [APP_DB] }
    cwd: api
  - dotenv:
    cwd: web
  - restart:
      start: node server.js ${port}
      health: http://127.0.0.1:${port}/
    cwd: api
`,
    })
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(await answer(port)).toBe('200 db=app_dev greeting=hi')
    expect(starts(dir)).toBe(1)
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    // A comment or a blank line is nothing the app sees; a sibling app's env file is not this server's.
    const env = path.join(dir, 'api/.env')
    writeFileSync(env, `${readFileSync(env, 'utf8')}\n# my note\n`)
    writeFileSync(path.join(dir, 'web/.env'), 'VITE_TITLE=changed\n')
    const still = await runCli(['doctor'], { cwd: dir })
    expect(still.code, still.stdout).toBe(0)

    // A value changed by hand: the server still runs on the old one.
    writeFileSync(env, readFileSync(env, 'utf8').replace('GREETING=hi', 'GREETING=hello-secret'))
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code).toBe(1)
    expect(red.stdout).toMatch(
      /api\/\.env changed since the server started at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: GREETING changed/,
    )
    expect(red.stdout).not.toContain('hello-secret')
    expect(red.stdout).not.toMatch(/greeting|\bhi\b/)
    const repaired = await runCli(['up'], { cwd: dir })
    expect(repaired.code, repaired.stdout).toBe(0)
    expect(await answer(port)).toBe('200 db=app_dev greeting=hello-secret')

    // A second definition of a key: Node's dotenv and Ruby's take the last, so it is a change.
    writeFileSync(env, `${readFileSync(env, 'utf8')}GREETING=twice\n`)
    const twice = await runCli(['doctor'], { cwd: dir })
    expect(twice.code, twice.stdout).toBe(1)
    expect(twice.stdout).toMatch(/GREETING changed/)
    writeFileSync(env, readFileSync(env, 'utf8').replace('GREETING=twice\n', ''))
    expect(starts(dir)).toBe(2)
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    // The database name emptied: the app answers 500; both steps are red, up fills the key and
    // restarts the server once (the dotenv change and the env check ask for the same restart).
    // With it, another value changed: still one restart.
    writeFileSync(
      env,
      readFileSync(env, 'utf8').replace('APP_DB=app_dev', 'APP_DB=').replace('hello-secret', 'third'),
    )
    const emptied = await runCli(['doctor'], { cwd: dir })
    expect(emptied.code).toBe(1)
    expect(emptied.stdout).toContain(
      '.env:2 has an empty APP_DB, which `required:` lists; .env.example:2 gives APP_DB=app_dev',
    )
    expect(emptied.stdout).toContain('APP_DB changed, GREETING changed')
    const fixed = await runCli(['up'], { cwd: dir })
    expect(fixed.code, fixed.stdout).toBe(0)
    expect(fixed.stdout).toContain('filled the empty APP_DB in .env with its value from .env.example:2')
    expect(starts(dir)).toBe(3)
    expect(await answer(port)).toBe('200 db=app_dev greeting=third')
    const green = await runCli(['doctor'], { cwd: dir })
    expect(green.code, green.stdout).toBe(0)

    // .env deleted: red, naming it.
    rmSync(env)
    const gone = await runCli(['doctor'], { cwd: dir })
    expect(gone.code).toBe(1)
    expect(gone.stdout).toMatch(/api\/\.env was deleted since the server started at/)
  })
})
