// A `run` step whose command turns out to be a server (a README's "npm run start-frontend-dev"
// taken for a setup script) would keep `up` waiting for ever: after 10 s of listening while it
// still runs, it is stopped and fails, naming the port. A command that starts a background
// server and returns (pg_ctl start -w) is no such thing. Real processes, ports of their own.
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards } from './restart/servers.js'

const serve = (port: number) =>
  `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1', () => console.log('listening on ${port}'))`

describe('run: a command that serves', () => {
  it('fails after 10 s of serving, naming the port, and stops its process group', async () => {
    const port = await freePort()
    const dir = tempRepo({
      'serve.js': serve(port),
      'devsetup.yml':
        'version: 1\nsteps:\n  - name: Frontend\n    run: node serve.js\n    creates: never-made\n',
    })
    killServersAfterwards(dir)
    const started = Date.now()
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout).toBe(1)
    expect(up.stdout).toContain(
      `it has served on port ${port} for 10s without ending: a server is no \`run\` step`,
    )
    expect(Date.now() - started).toBeLessThan(30_000)
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow()
  }, 60_000)

  it('a command that starts a background server and returns is fine', async () => {
    const port = await freePort()
    const dir = tempRepo({
      'serve.js': serve(port),
      'start.js': `require('node:child_process').spawn(process.execPath, ['serve.js'], { stdio: 'ignore' }).unref()
setTimeout(() => require('node:fs').writeFileSync('started', ''), 1500)`,
      'devsetup.yml': 'version: 1\nsteps:\n  - name: Daemon\n    run: node start.js\n    creates: started\n',
    })
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout).toBe(0)
    expect(up.stdout).toContain('ran `node start.js`')
    expect(up.stdout).not.toContain('served on port')
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok')
  }, 60_000)
})
