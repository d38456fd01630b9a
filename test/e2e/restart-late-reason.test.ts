// A restart left pending by an earlier run whose server then crashed: doctor's line says the
// server is not running first, and the pending change after it — not only "X changed in an
// earlier run", which read as if nothing else were wrong (lane N, bezkoder's crash at boot).
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { freePort } from './restart/servers.js'

describe('restart: the reason doctor gives after a crash at boot', () => {
  it('names the dead server before the change it still has to follow', async () => {
    const port = await freePort()
    const dir = tempRepo({
      'devsetup.yml': [
        'version: 1',
        'steps:',
        '  - run: touch made.txt',
        '    creates: made.txt',
        '  - restart:',
        '      start: node -e "process.exit(1)"',
        `      health: http://127.0.0.1:${port}/`,
        '',
      ].join('\n'),
    })
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(1)
    const doctor = await runCli(['doctor'], { cwd: dir })
    const output = doctor.stdout + doctor.stderr
    expect(doctor.code, output).toBe(1)
    expect(output).toMatch(/unmet: server not running .*\(and run changed in an earlier run\)/)
  })
})
