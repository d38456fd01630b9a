// A runner that starts each task in a process group of its own (turbo, nx): the group devsetup
// started is the runner alone, idle while its tasks compile, listen and hold the app's files. The
// tasks stay in the session the start leads (turbo strips devsetup's token from their environment),
// so they count as the server's: up waits for their
// port rather than calling an idle runner a worker (Maintainerr: green while nothing served), a
// database a task holds open and that was deleted is red, and tasks left after the runner was
// killed are stopped before the next start. Real processes, a real sqlite3-made file.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards } from './restart/servers.js'

// The task: 4 s of compiling (busy CPU, output) before it listens; it keeps data/app.db open.
const task = `
const fs = require('node:fs')
fs.mkdirSync('data', { recursive: true })
if (!fs.existsSync('data/app.db')) require('node:child_process').execFileSync('sqlite3', ['data/app.db', 'CREATE TABLE t (id integer)'])
const fd = fs.openSync('data/app.db', 'r+')
const end = Date.now() + 4000
while (Date.now() < end) {}
console.log('compiled')
require('node:http').createServer((q, s) => s.end('ok ' + fd)).listen(Number(process.argv[2]), '127.0.0.1')
`
// The runner, as turbo 2 runs a task: in a process group of its own (job control), in the same
// session, with devsetup's token stripped from its environment; then it waits, idle and silent.
const runner = `set -m
env -u DEVSETUP_SERVER node task.js "$1" &
wait
`

describe('restart: tasks a runner starts in process groups of their own', () => {
  it('up waits for their port; their deleted database is red; what a killed runner left is stopped before the next start', async () => {
    const port = await freePort()
    const dir = tempRepo({
      'task.js': task,
      'runner.sh': runner,
      'devsetup.yml': `version: 1\nsteps:\n  - restart:\n      start: bash runner.sh ${port}\n      health_timeout: 60s\n`,
    })
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 90_000 })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stdout).toContain(`listening on port ${port}`)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toMatch(/^ok/)

    execFileSync('rm', ['data/app.db'], { cwd: dir })
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code).toBe(1)
    expect(red.stdout).toContain('on a deleted database: data/app.db')

    // The runner's group killed: the task lives on in its own, holding the port.
    const { pgid } = JSON.parse(readFileSync(path.join(stateDirOf(dir), 'server.json'), 'utf8'))
    process.kill(-pgid, 'SIGKILL')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toMatch(/^ok/)
    // (The new task could not listen while the old one held the port.)
    const again = await runCli(['up', '--verbose'], { cwd: dir, timeoutMs: 90_000 })
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(again.stdout).toContain('stopped 1 process(es) the last start left running')
    expect(again.stdout).toContain(`listening on port ${port}`)
  }, 120_000)
})
