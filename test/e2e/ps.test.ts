// `devsetup ps` shows what devsetup keeps running for a repository — a real Redis started by a
// `service` step and a real HTTP dev server started by a `restart` step — with pid, port, start,
// log and health asked right now; `devsetup stop <name>` stops the ones named, `stop` the rest;
// `up` says where the dev server's log is. A record naming someone else's process shows nothing.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isRunning } from '../../src/engine/processes.js'
import { repoStateDir } from '../../src/engine/state-dir.js'
import { answers, isAlive, tempRepo } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'
import { services } from './service/harness.js'

const s = services()

// Answers 503 while `sick` exists: a server that runs but is not healthy.
const server = (port: number) =>
  `const fs = require('node:fs')
require('node:http').createServer((_, res) => {
  res.statusCode = fs.existsSync('sick') ? 503 : 200
  res.end('ok')
}).listen(${port}, '127.0.0.1')`

interface Entry {
  name: string
  status: string
  pid?: number
  port?: number
  since?: string
  log?: string
  detail: string
}

async function psJson(repo: string): Promise<Entry[]> {
  const ps = await s.cli(repo, ['ps', '--json'])
  expect(ps.code, ps.stderr).toBe(0)
  return JSON.parse(ps.stdout).running
}

/** A repository whose recipe runs a Redis service and a dev server, each on a free port. */
async function redisAndServer() {
  const [redisPort, webPort] = [await freePort(), await freePort()]
  const repo = tempRepo({
    'server.js': server(webPort),
    'devsetup.yml': `version: 1
env:
  REDIS_URL: redis://127.0.0.1:${redisPort}/0
steps:
  - service: redis
  - restart:
      start: node server.js
      health: http://127.0.0.1:${webPort}/
`,
  })
  return { repo, redisPort, webPort }
}

describe('devsetup ps and stop', () => {
  it('lists the service and the dev server with pid, port, since, log and health; stops them by name', async () => {
    const { repo, redisPort, webPort } = await redisAndServer()
    const before = Date.now()
    const up = await s.cli(repo, ['up'])
    expect(up.code, up.stdout + up.stderr).toBe(0)
    const stateDir = path.dirname(path.dirname(s.dir(repo, 'redis')))
    const serverPid = Number(readFileSync(path.join(stateDir, 'server.pid'), 'utf8'))
    const redisPid = Number(readFileSync(path.join(s.dir(repo, 'redis'), 'redis.pid'), 'utf8'))
    // `up` names the dev server's log in its last lines.
    expect(up.stdout.trimEnd().split('\n').at(-1)).toBe(
      `dev server: \`node server.js\` (pid ${serverPid}), its log: ${path.join(stateDir, 'server.log')} — \`devsetup ps\` shows it, \`devsetup stop server\` stops it`,
    )

    const [redis, web] = await psJson(repo)
    expect(redis).toMatchObject({ name: 'redis', status: 'healthy', pid: redisPid, port: redisPort })
    expect(web).toMatchObject({ name: 'server', status: 'healthy', pid: serverPid, port: webPort })
    for (const entry of [redis!, web!]) {
      expect(Date.parse(entry.since!)).toBeGreaterThanOrEqual(before - 1000)
      expect(Date.parse(entry.since!)).toBeLessThanOrEqual(Date.now())
      expect(existsSync(entry.log!), entry.log).toBe(true)
    }
    const table = (await s.cli(repo, ['ps'])).stdout
    expect(table).toMatch(/^NAME\s+STATUS\s+PID\s+PORT\s+SINCE\s+LOG$/m)
    expect(table).toMatch(
      new RegExp(
        `^redis\\s+healthy\\s+${redisPid}\\s+${redisPort}\\s+\\d\\d:\\d\\d \\(just now\\)\\s+\\S+redis\\.log$`,
        'm',
      ),
    )
    expect(table).toMatch(
      new RegExp(`^server\\s+healthy\\s+${serverPid}\\s+${webPort}\\s+.+server\\.log$`, 'm'),
    )

    // Health is asked, not remembered: a 503, and a Redis that no longer answers (stopped with SIGSTOP).
    writeFileSync(path.join(repo, 'sick'), '')
    process.kill(redisPid, 'SIGSTOP')
    try {
      const [frozen, sick] = await psJson(repo)
      expect(frozen).toMatchObject({
        status: 'unhealthy',
        detail: `does not answer on 127.0.0.1:${redisPort}`,
      })
      expect(sick).toMatchObject({ status: 'unhealthy', detail: `http://127.0.0.1:${webPort}/: HTTP 503` })
    } finally {
      process.kill(redisPid, 'SIGCONT')
    }

    const stopServer = await s.cli(repo, ['stop', 'server'])
    expect(stopServer.code, stopServer.stderr).toBe(0)
    expect(stopServer.stdout).toContain(`dev server (node server.js) stopped (its log: `)
    expect(stopServer.stdout).toContain(`it was pid ${serverPid})`)
    expect(stopServer.stdout).not.toContain('redis')
    expect(await answers(`127.0.0.1:${webPort}`)).toBe(false)
    expect(isAlive(redisPid)).toBe(true)
    expect((await psJson(repo)).map((e) => `${e.name} ${e.status}`)).toEqual(['redis healthy'])

    const bad = await s.cli(repo, ['stop', 'redsi'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('`redsi` is not something devsetup runs')
    expect(bad.stderr).toContain('did you mean `redis`?')

    const stopAll = await s.cli(repo, ['stop', '--json'])
    expect(JSON.parse(stopAll.stdout).stopped).toMatchObject([
      { name: 'redis', stopped: true, pid: redisPid },
    ])
    expect(isRunning(redisPid)).toBe(false)
    expect((await psJson(repo)).map((e) => `${e.name} ${e.status}`)).toEqual(['redis stopped'])
  }, 120_000)

  it('stop stops the dev server before the services it uses', async () => {
    const { repo } = await redisAndServer()
    const up = await s.cli(repo, ['up'])
    expect(up.code, up.stdout + up.stderr).toBe(0)
    const stop = await s.cli(repo, ['stop', '--json'])
    expect(stop.code, stop.stderr).toBe(0)
    const stopped = JSON.parse(stop.stdout).stopped as { name: string; stopped: boolean }[]
    expect(stopped.map((e) => `${e.name} ${e.stopped}`)).toEqual(['server true', 'redis true'])
  }, 120_000)

  it('a server record naming a process devsetup did not start shows it stopped, and stop leaves it alone', async () => {
    const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: "true"\n' })
    expect((await s.cli(repo, ['up'])).code).toBe(0)
    // A process of someone else's, its pid written where devsetup keeps its server's record.
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' })
    try {
      const dir = repoStateDir(repo, { DEVSETUP_STATE_DIR: s.state })
      const record = {
        pid: stranger.pid,
        pgid: stranger.pid,
        cmdline: 'sleep 60',
        command: 'sleep 60',
        log: path.join(dir, 'server.log'),
        startedAt: new Date().toISOString(),
      }
      writeFileSync(path.join(dir, 'server.json'), JSON.stringify(record))
      writeFileSync(path.join(dir, 'server.pid'), `${stranger.pid}\n`)
      const [entry] = await psJson(repo)
      expect(entry).toMatchObject({ name: 'server', status: 'stopped' })
      expect(entry!.pid).toBeUndefined()
      const stop = await s.cli(repo, ['stop'])
      expect(stop.stdout).toContain('dev server (sleep 60) was not running')
      expect(isAlive(stranger.pid!)).toBe(true)
    } finally {
      stranger.kill('SIGKILL')
    }
  })
})
