// A server that comes up on another port than the health URL's (Wiki.js with `port: 3005` in its
// config.yml, health on 3000): when the wait runs out, the failure says where it does listen,
// rather than only "raise health_timeout" (requarks/wiki, lane N).
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { freePort } from './restart/servers.js'

describe('restart: a server listening on another port than the health URL', () => {
  it('names the port it listens on when the wait runs out, and stops it', async () => {
    const [wanted, actual] = [await freePort(), await freePort()]
    const dir = tempRepo({
      'server.js': `require('http').createServer((q, r) => r.end('ok')).listen(${actual})\n`,
      'devsetup.yml': [
        'version: 1',
        'steps:',
        '  - restart:',
        '      start: node server.js',
        `      health: http://127.0.0.1:${wanted}/`,
        '      health_timeout: 3s',
        '',
      ].join('\n'),
    })
    const up = await runCli(['up'], { cwd: dir })
    const output = up.stdout + up.stderr
    expect(up.code, output).toBe(1)
    expect(output).toContain(
      `it listens on port ${actual}, not on ${wanted}: check the port the app is configured with`,
    )
    expect(output).not.toContain('raise `health_timeout`')
  })
})
