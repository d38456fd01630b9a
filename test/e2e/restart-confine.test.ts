// restart's `pidfile:`, `touch:` and `log:` may not lead out of the repository through a folder
// link the repository ships (issue 22): devsetup would delete an outside pidfile as "stale",
// touch an outside file, or append a server's output to one. Refused, nothing outside touched.
import { mkdirSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards, readIfExists } from './restart/servers.js'

/** Every file of the outside folder with its bytes and mtime: what must not change. */
function snapshot(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((name) => `${name} ${readIfExists(path.join(dir, name))} ${statSync(path.join(dir, name)).mtimeMs}`)
}

async function refused(restart: string, link: (repo: string, outside: string) => void) {
  const outside = tempRepo({}, { git: false })
  // A pid that is surely not a server devsetup started: the file looks stale to devsetup.
  writeFileSync(path.join(outside, 'crond.pid'), '999999\n')
  writeFileSync(path.join(outside, 'restart.txt'), 'keep\n')
  writeFileSync(path.join(outside, 'app.log'), 'keep\n')
  const old = new Date('2020-01-01T00:00:00Z')
  for (const name of readdirSync(outside)) utimesSync(path.join(outside, name), old, old)
  const port = await freePort()
  const recipe = `version: 1\nsteps:\n  - restart:\n${restart.replaceAll('PORT', String(port))}`
  const repo = tempRepo({ 'devsetup.yml': recipe })
  link(repo, outside)
  killServersAfterwards(repo)
  const before = snapshot(outside)
  const doctor = await runCli(['doctor'], { cwd: repo })
  const up = await runCli(['up'], { cwd: repo })
  return { doctor, up, changed: () => snapshot(outside), before }
}

const folderLink = (repo: string, outside: string) => symlinkSync(outside, path.join(repo, 'run'))

describe('restart cannot reach outside the repository through a link', () => {
  it.each([
    [
      'pidfile: a stale pidfile in a linked folder is not deleted',
      '      pidfile: run/crond.pid\n      start: sleep 3006\n      health: tcp://127.0.0.1:PORT\n      health_timeout: 1s\n',
      /pidfile: `run\/crond\.pid` leads outside the repository/,
    ],
    [
      'touch: an outside file is not touched',
      '      touch: run/restart.txt\n      when: always\n',
      /touch: `run\/restart\.txt` leads outside the repository/,
    ],
    [
      'log: the server does not append to an outside file',
      '      start: sleep 3007\n      log: run/app.log\n      health: tcp://127.0.0.1:PORT\n      health_timeout: 1s\n',
      /log: `run\/app\.log` leads outside the repository/,
    ],
  ])('%s', async (_case, restart, message) => {
    const { doctor, up, changed, before } = await refused(restart, folderLink)
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toMatch(message)
    expect(up.code).toBe(1)
    expect(up.stdout).toMatch(message)
    expect(up.stdout).toContain('at a path inside the repository')
    expect(changed()).toEqual(before)
  })

  it('log: a link to a file not made yet outside is refused too (appending would create it)', async () => {
    const { up, changed, before } = await refused(
      '      start: sleep 3008\n      log: logs/app.log\n      health: tcp://127.0.0.1:PORT\n      health_timeout: 1s\n',
      (repo, outside) => {
        mkdirSync(path.join(repo, 'logs'))
        symlinkSync(path.join(outside, 'new.log'), path.join(repo, 'logs', 'app.log'))
      },
    )
    expect(up.code).toBe(1)
    expect(up.stdout).toMatch(/log: `logs\/app\.log` leads outside the repository/)
    expect(changed()).toEqual(before)
  })

  it('touch: a link that stays inside the repository is followed as before', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - restart:\n      touch: run/restart.txt\n      when: always\n',
      'tmp/restart.txt': '',
    })
    symlinkSync('tmp', path.join(repo, 'run'))
    const old = new Date('2020-01-01T00:00:00Z')
    utimesSync(path.join(repo, 'tmp/restart.txt'), old, old)
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code).toBe(0)
    expect(statSync(path.join(repo, 'tmp/restart.txt')).mtimeMs).toBeGreaterThan(old.getTime())
  })
})
