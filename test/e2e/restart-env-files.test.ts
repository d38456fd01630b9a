// An env file the server loads that no dotenv step writes (a committed configs/.env the app loads
// by path, as fastify-drizzle's env-schema does): named in the restart's `env_files:`, a value
// changed there is red naming the file and the key, and `up` restarts the real server once.
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards, serverStarts as starts } from './restart/servers.js'

// Loads configs/.env by path at boot; answers with the database name it got there.
const server = `
const fs = require('node:fs')
for (const line of fs.readFileSync('configs/.env', 'utf8').split('\\n')) {
  const m = /^([A-Z_]+)=(.*)$/.exec(line)
  if (m && !(m[1] in process.env)) process.env[m[1]] = m[2]
}
require('node:http').createServer((req, res) => {
  res.end(\`db=\${process.env.DB_NAME}\`)
}).listen(Number(process.argv[2]), '127.0.0.1')
`

describe('restart: env_files the server loads besides the dotenv steps', () => {
  it('a value changed in configs/.env: doctor 1 naming the key, up restarts once, doctor 0', async () => {
    const port = await freePort()
    const dir = tempRepo({
      'src/index.js': server,
      'configs/.env': 'DB_NAME=app_dev\nHTTP_PORT=8000\n',
      'devsetup.yml': `version: 1
steps:
  - restart:
      start: node src/index.js ${port}
      health: http://127.0.0.1:${port}/
      env_files: configs/.env
`,
    })
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('db=app_dev')
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    const env = path.join(dir, 'configs/.env')
    writeFileSync(env, readFileSync(env, 'utf8').replace('DB_NAME=app_dev', 'DB_NAME=other_db'))
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toMatch(
      /configs\/\.env changed since the server started at [\d-]+ [\d:]+ UTC: DB_NAME changed/,
    )
    expect(red.stdout).not.toContain('other_db')
    const repaired = await runCli(['up'], { cwd: dir })
    expect(repaired.code, repaired.stdout).toBe(0)
    expect(starts(dir)).toBe(2)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('db=other_db')
    const green = await runCli(['doctor'], { cwd: dir })
    expect(green.code, green.stdout).toBe(0)

    // Deleted: the server still runs on what it read.
    rmSync(env)
    const gone = await runCli(['doctor'], { cwd: dir })
    expect(gone.code).toBe(1)
    expect(gone.stdout).toMatch(/configs\/\.env was deleted since the server started at/)
  })

  it('refuses an env_files path that leads outside the repository through a link', async () => {
    const port = await freePort()
    const outside = tempRepo({ 'secret.env': 'TOKEN=x\n' })
    const dir = tempRepo({
      'src/index.js': server,
      'devsetup.yml': `version: 1
steps:
  - restart:
      start: node src/index.js ${port}
      env_files: configs/.env
`,
    })
    symlinkSync(outside, path.join(dir, 'configs'))
    killServersAfterwards(dir)
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toMatch(/env_files: `configs\/\.env` leads outside the repository/)
  })

  it('init on the example that loads configs/.env by path writes env_files, and up follows a value changed there', async () => {
    const port = await freePort()
    const dir = tempRepo()
    cpSync(path.join(repoRoot, 'examples/init/node/inventory-api'), dir, { recursive: true })
    const env = path.join(dir, 'configs/.env')
    writeFileSync(env, readFileSync(env, 'utf8').replace('API_PORT=4300', `API_PORT=${port}`))
    killServersAfterwards(dir)
    const init = await runCli(['init'], { cwd: dir })
    expect(init.code, init.stdout + init.stderr).toBe(0)
    const recipe = readFileSync(path.join(dir, 'devsetup.yml'), 'utf8')
    expect(recipe).toContain('env_files: configs/.env')
    expect(recipe).toContain(`health: http://127.0.0.1:\${API_PORT:-${port}}/`)

    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('{"stock":"inventory_dev"}')
    writeFileSync(env, readFileSync(env, 'utf8').replace('STOCK_DB=inventory_dev', 'STOCK_DB=moved'))
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toMatch(/configs\/\.env changed since the server started at .*: STOCK_DB changed/)
    const repaired = await runCli(['up'], { cwd: dir })
    expect(repaired.code, repaired.stdout).toBe(0)
    expect(starts(dir)).toBe(2)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('{"stock":"moved"}')
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)
    expect((await runCli(['stop'], { cwd: dir })).code).toBe(0)
  }, 120_000)
})
