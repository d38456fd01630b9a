// `devsetup stop` stops the dev server a restart step started — its whole process group — as
// well as the services, and leaves a server someone started by hand alone.
import { describe, expect, it } from 'vitest'
import { answers, runCli, tempRepo } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'

// A wrapper shell with the server as its child: stopping only the shell would orphan the server.
const server = (port: number) =>
  `require('node:http').createServer((_, res) => res.end('ok')).listen(${port}, '127.0.0.1')`

describe('devsetup stop', () => {
  it('stops the dev server devsetup started, with its child processes, and says where its log is', async () => {
    const port = await freePort()
    const dir = tempRepo({
      'server.js': server(port),
      'devsetup.yml': `version: 1\nsteps:\n  - restart:\n      start: sh -c "node server.js; true"\n      health: http://127.0.0.1:${port}/\n`,
    })
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(await answers(`127.0.0.1:${port}`)).toBe(true)

    const stop = await runCli(['stop'], { cwd: dir })
    expect(stop.code, stop.stdout + stop.stderr).toBe(0)
    expect(stop.stdout).toMatch(
      /dev server \(sh -c "node server\.js; true"\) stopped \(its log: .+server\.log; it was pid \d+\)/,
    )
    expect(await answers(`127.0.0.1:${port}`)).toBe(false)

    const again = await runCli(['stop'], { cwd: dir })
    expect(again.stdout).toContain('nothing devsetup started runs for this repository')
  })

  it("also stops what the start spawned into a session of its own (turbo's tasks): it carries the start's token", async () => {
    const [port, other] = [await freePort(), await freePort()]
    const dir = tempRepo({
      'server.js': server(port),
      'ui.js': server(other),
      // The server in devsetup's group; a "UI" task in a new session (setsid), as turbo runs tasks.
      'start.js': `require('node:child_process').spawn(process.execPath, ['ui.js'], { detached: true, stdio: 'ignore' }).unref()
require('./server.js')`,
      'devsetup.yml': `version: 1\nsteps:\n  - restart:\n      start: node start.js\n      health: http://127.0.0.1:${port}/\n`,
    })
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(await answers(`127.0.0.1:${other}`)).toBe(true)
    const stop = await runCli(['stop'], { cwd: dir })
    expect(stop.code, stop.stdout + stop.stderr).toBe(0)
    expect(await answers(`127.0.0.1:${port}`)).toBe(false)
    expect(await answers(`127.0.0.1:${other}`)).toBe(false)
  })

  it('a repository with nothing started says so', async () => {
    const dir = tempRepo({ 'devsetup.yml': 'version: 1\nsteps: []\n' })
    const stop = await runCli(['stop'], { cwd: dir })
    expect(stop.code).toBe(0)
    expect(stop.stdout).toContain('nothing devsetup started runs for this repository')
  })
})
