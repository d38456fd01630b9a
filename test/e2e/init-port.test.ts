// init's restart step follows PORT where the app reads it: `PORT=… devsetup up` moves the
// server and its health check together. A real app (node's http server), the built CLI, a
// port of the test's own (3000 may be anyone's on a shared machine).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'

const server = (read: string) => `const http = require('node:http')
const PORT = ${read}
http.createServer((req, res) => res.end('port ' + PORT)).listen(PORT, '127.0.0.1')
`

describe('init writes the port the app reads from PORT as ${PORT:-default}', () => {
  it('moves the server and its health check with PORT=… devsetup up', async () => {
    const repo = tempRepo({
      'package.json': JSON.stringify({ name: 'port-app', private: true, scripts: { dev: 'node server.js' } }),
      'server.js': server('process.env.PORT || 3000'),
    })
    const init = await runCli(['init'], { cwd: repo })
    expect(init.code, init.stderr).toBe(0)
    const recipe = readFileSync(path.join(repo, 'devsetup.yml'), 'utf8')
    expect(recipe).toContain('health: http://127.0.0.1:${PORT:-3000}/')

    const port = await freePort()
    try {
      const up = await runCli(['up'], { cwd: repo, env: { PORT: String(port) }, timeoutMs: 120_000 })
      expect(up.code, up.stdout + up.stderr).toBe(0)
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe(`port ${port}`)
      // doctor asks the same moved URL: green only because the server answers there.
      const doctor = await runCli(['doctor'], { cwd: repo, env: { PORT: String(port) } })
      expect(doctor.code, doctor.stdout).toBe(0)
    } finally {
      await runCli(['stop'], { cwd: repo })
    }
  }, 150_000)

  it('keeps a port the app fixes itself as a number', async () => {
    const repo = tempRepo({
      'package.json': JSON.stringify({
        name: 'fixed-app',
        private: true,
        scripts: { dev: 'node server.js' },
      }),
      'server.js': server('8123'),
    })
    expect((await runCli(['init'], { cwd: repo })).code).toBe(0)
    expect(readFileSync(path.join(repo, 'devsetup.yml'), 'utf8')).toContain('health: http://127.0.0.1:8123/')
  })
})
