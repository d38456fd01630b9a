// `PORT=-1` in .env (flame, an Express app): Node's listen(process.env.PORT) binds a Unix socket
// file named `-1` in the app's folder, so nothing ever answers on the health URL's port and no
// crash happens. The wait for health asks the server's own sockets and fails within seconds,
// naming the socket and the variable, instead of after the whole health_timeout. Real server,
// real socket, the built CLI.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards } from './restart/servers.js'

// As an Express app does: its .env loaded as the dotenv package does, then
// app.listen(process.env.PORT), whatever the value is.
const server = `
for (const line of require('node:fs').readFileSync('.env', 'utf8').split('\\n')) {
  const [key, value] = line.split('=')
  if (key && value !== undefined && process.env[key] === undefined) process.env[key] = value
}
require('node:http').createServer((req, res) => res.end('ok')).listen(process.env.PORT)
`

function repo(port: number, envPort: string): string {
  return tempRepo({
    'server.js': server,
    '.env.example': `PORT=${envPort}\n`,
    'devsetup.yml': `version: 1
steps:
  - dotenv: { from: .env.example }
  - restart:
      start: node server.js
      health: http://127.0.0.1:${port}/
`,
  })
}

describe('restart: a server that listens on a Unix socket instead of the health port', () => {
  it('fails on it, naming the socket file and PORT in .env, not the health timeout; the group is stopped', async () => {
    const port = await freePort()
    const dir = repo(port, '-1')
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(1)
    const out = up.stdout + up.stderr
    expect(out).toContain(`the server listens on the Unix socket ./-1, not on port ${port}`)
    expect(out).toContain('check PORT in .env (it says PORT=-1')
    expect(out).toMatch(/stopping its process group/)
    // Failed by the socket rule, not by the 120 s health_timeout (its message would say "after 120s").
    expect(out).not.toContain('after 120s')
    expect(existsSync(path.join(dir, '-1'))).toBe(true)
  })

  it('the same server on its port is healthy (the rule does not fire on a TCP listener)', async () => {
    const port = await freePort()
    const dir = repo(port, String(port))
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok')
  })

  it('with no health and no port in the recipe, the summary names the socket instead of "nothing listens"', async () => {
    const dir = tempRepo({
      'server.js': server,
      '.env.example': 'PORT=-1\n',
      'devsetup.yml':
        'version: 1\nsteps:\n  - dotenv: { from: .env.example }\n  - restart:\n      start: node server.js\n',
    })
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stdout).toContain(
      'it listens on the Unix socket ./-1 and on no TCP port: if it should serve on a port, check PORT in .env (it says PORT=-1',
    )
  })

  it('beside a front end that listens on TCP and works (flame: CRA on :3000), the socket is still seen', async () => {
    const [port, front] = [await freePort(), await freePort()]
    const dir = tempRepo({
      'server.js': server,
      // A dev server beside it: listens at once, then compiles for a while (CPU).
      'front.js': `require('node:http').createServer((q, r) => r.end('ui')).listen(${front}, '127.0.0.1')
const until = Date.now() + 4000
const spin = () => { const t = Date.now() + 50; while (Date.now() < t); if (Date.now() < until) setImmediate(spin) }
spin()
setInterval(() => {}, 1e6)`,
      '.env.example': 'PORT=-1\n',
      'devsetup.yml': `version: 1
steps:
  - dotenv: { from: .env.example }
  - restart:
      start: node front.js & node server.js
      health: http://127.0.0.1:${port}/
      health_timeout: 40s
`,
    })
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout + up.stderr).toBe(1)
    expect(up.stdout + up.stderr).toContain(`the server listens on the Unix socket ./-1, not on port ${port}`)
  }, 60_000)
})
