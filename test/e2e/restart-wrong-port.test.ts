// A server that comes up on another port than the health URL's (Wiki.js with `port: 3005` in its
// config.yml, NodeBB with 4568 in its config.json, health on 3000): given up in seconds when its
// log says it listens there (other-port.ts), else the failure at the timeout says where it does
// listen, rather than only "raise health_timeout" (requarks/wiki, NodeBB).
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { freePort } from './restart/servers.js'

function repo(server: string, wanted: number, timeout: string, start = 'node server.js') {
  return tempRepo({
    'server.js': server,
    'devsetup.yml': [
      'version: 1',
      'steps:',
      '  - restart:',
      `      start: ${start}`,
      `      health: http://127.0.0.1:${wanted}/`,
      `      health_timeout: ${timeout}`,
      '',
    ].join('\n'),
  })
}

describe('restart: a server listening on another port than the health URL', () => {
  it('fails in seconds when its log says it listens there, naming both ports', async () => {
    const [wanted, actual] = [await freePort(), await freePort()]
    const server = `require('http').createServer((q, r) => r.end('ok')).listen(${actual}, () => console.log('NodeBB is now listening on: 0.0.0.0:${actual}'))\n`
    const started = Date.now()
    const up = await runCli(['up'], { cwd: repo(server, wanted, '60s') })
    const output = up.stdout + up.stderr
    expect(up.code, output).toBe(1)
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(output).toContain(`its log says it listens on port ${actual}, and it does, not on ${wanted}`)
  })

  it('a silent one: names the port it listens on when the wait runs out', async () => {
    const [wanted, actual] = [await freePort(), await freePort()]
    const server = `require('http').createServer((q, r) => r.end('ok')).listen(${actual})\n`
    const up = await runCli(['up'], { cwd: repo(server, wanted, '3s') })
    const output = up.stdout + up.stderr
    expect(up.code, output).toBe(1)
    expect(output).toContain(
      `it listens on port ${actual}, not on ${wanted}: check the port the app is configured with`,
    )
    expect(output).not.toContain('raise `health_timeout`')
  })

  it("Node's inspector port is not the app's: a slow first boot under --inspect still comes up", async () => {
    // uptime-kuma's dev script runs `node --inspect`; its first boot makes its database for longer than 3 s.
    const [wanted, inspector] = [await freePort(), await freePort()]
    const server = `setTimeout(() => require('http').createServer((q, r) => r.end('ok')).listen(${wanted}), 5000)\n`
    const up = await runCli(['up'], {
      cwd: repo(server, wanted, '60s', `node --inspect=127.0.0.1:${inspector} server.js`),
    })
    expect(up.code, up.stdout + up.stderr).toBe(0)
  })
})
