// A `restart` with no `health:`, no port the recipe names and no `pidfile:`: up only once a
// process of the started group listens on a TCP port (a server slow to get there is waited
// for, and its crash meanwhile reported); started at once when the group settles idle with
// nothing listening (a worker); a start that is a pipeline is not taken for a daemon. Real
// processes, ports of their own, the built CLI.
import { readFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { pipelineEnd } from '../../src/steps/restart/pipeline.js'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'
import { expectGroupStopped, freePort, killServersAfterwards } from './restart/servers.js'

// ts-node's shape: ~3 s of compiling (busy CPU) before listen(); the port comes from argv, so
// devsetup cannot know it, and a bad one crashes as feathers-chat's `"port": -1` did.
const slowServer = `
const end = Date.now() + 3000
while (Date.now() < end) {}
require('node:http')
  .createServer((req, res) => res.end(String(process.pid)))
  .listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening'))
`

// A queue consumer: boots, says so, then waits for jobs, never listening.
const worker = `console.log('worker ready, waiting for jobs'); setInterval(() => {}, 1e6)`

const failingApp = `console.error('Error: database initialization failed after 5 attempts'); process.exit(1)`

function repo(start: string, extra = ''): string {
  const dir = tempRepo({
    'slow.js': slowServer,
    'worker.js': worker,
    'failing.js': failingApp,
    'package.json': JSON.stringify({ name: 'app', private: true, scripts: { dev: 'node failing.js | cat' } }),
    'devsetup.yml': `version: 1
steps:
  - restart:
      start: ${start}
      health_timeout: 60s
${extra}`,
  })
  killServersAfterwards(dir)
  return dir
}

describe('restart without health or a known port: up when its process group listens', () => {
  it('waits out a slow boot, names the port it listens on; doctor then asks that the group still listens there', async () => {
    const port = await freePort()
    const dir = repo(`node --watch slow.js ${port}`)
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stdout).toMatch(
      new RegExp(
        `listening on port ${port} after (\\d+\\.\\d)s; write \`health: http://127\\.0\\.0\\.1:${port}/\` to check it answers`,
      ),
    )
    // It was waited for: not called up before its 3 s of work were done.
    const after = Number(up.stdout.match(/listening on port \d+ after (\d+\.\d)s/)![1])
    expect(after).toBeGreaterThanOrEqual(2.9)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toMatch(/^\d+$/)
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    expect(JSON.parse(readFileSync(path.join(stateDirOf(dir), 'server.json'), 'utf8')).listening).toEqual([
      port,
    ])

    // The app dies, its watcher lives on; then a foreign process takes the port: still red, as
    // the server's own group no longer listens there.
    process.kill(Number(await (await fetch(`http://127.0.0.1:${port}/`)).text()), 'SIGKILL')
    const foreign = net.createServer()
    // The killed app's socket closes once the kernel has reaped it: retry until the port is free.
    for (let tries = 0; !foreign.listening && tries < 50; tries++)
      await new Promise<void>((resolve) => {
        foreign.once('error', () => setTimeout(resolve, 100))
        foreign.listen(port, '127.0.0.1', resolve)
      })
    expect(foreign.listening).toBe(true)
    try {
      const doctor = await runCli(['doctor'], { cwd: dir })
      expect(doctor.code, doctor.stdout).toBe(1)
      expect(doctor.stdout).toContain(
        `nothing of its process group listens on port ${port} any more (it did when started) (its log ends: "Failed running 'slow.js ${port}'")`,
      )
    } finally {
      foreign.close()
    }
  })

  it('a slow boot that then crashes under a watcher: up fails naming the crash, and stops the group', async () => {
    const dir = repo('node --watch slow.js -1')
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    const output = up.stdout + up.stderr
    expect(up.code, output).toBe(1)
    expect(output).toMatch(/the server crashed: its log says "Failed running 'slow\.js -1'"/)
    expect(output).toContain('ERR_SOCKET_BAD_PORT')
    expectGroupStopped(output, dir)
  })

  it('a worker that never listens is started once idle, long before health_timeout, and says nothing of it listens', async () => {
    const dir = repo('node worker.js')
    const started = Date.now()
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    // health_timeout is 60 s: an idle worker is not waited on for it.
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(up.stdout).toMatch(
      /running \(idle and silent for \d+\.\ds\); nothing of its process group listens on a TCP port: if it serves, give `health:`/,
    )
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.code, doctor.stdout).toBe(0)
  })

  it('a start that exits 0 at once fails as before', async () => {
    const dir = repo('echo done')
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code).toBe(1)
    expect(up.stdout).toContain(
      '`echo done` exited before becoming healthy (if it daemonizes, give `pidfile:` so devsetup can follow the server)',
    )
  })
})

describe('a start whose script is a pipeline', () => {
  it('says its status is the pipeline’s last command, keeps the log, and offers no pidfile', async () => {
    const dir = repo('npm run dev')
    const up = await runCli(['up'], { cwd: dir })
    const output = up.stdout + up.stderr
    expect(up.code, output).toBe(1)
    expect(output).toContain(
      "`npm run dev` exited before becoming healthy (its status is the last command of a pipeline (cat); the app's own exit is in the log below)",
    )
    expect(output).not.toContain('pidfile')
    expect(output).toContain('Error: database initialization failed after 5 attempts')
  })
})

describe('which starts are pipelines', () => {
  it('a top-level `|` in the start or the script it runs; not `||`, a quoted or a subshell `|`', () => {
    const dir = tempRepo({
      'package.json': JSON.stringify({
        scripts: {
          'start:dev': 'node src/index.ts | pino-pretty -c',
          nested: 'npm run start:dev',
          or: 'node a.js || node b.js',
          quoted: 'echo "a|b" && (node a.js | tee x)',
          both: 'node a.js 2>&1 |& /usr/bin/tee log',
        },
      }),
    })
    const cases: [string, string | undefined][] = [
      ['pnpm start:dev', 'pino-pretty'],
      ['pnpm run start:dev', 'pino-pretty'],
      ['yarn start:dev', 'pino-pretty'],
      ['DEBUG=1 npm run start:dev', 'pino-pretty'],
      ['npm run nested', 'pino-pretty'],
      ['npm run both', 'tee'],
      ['npm run or', undefined],
      ['npm run quoted', undefined],
      ['pnpm install', undefined],
      ['node server.js | cat', 'cat'],
    ]
    expect(cases.map(([command]) => [command, pipelineEnd(command, dir)])).toEqual(cases)
  })
})
