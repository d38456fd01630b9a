// The server that answers must be the one devsetup started: a foreign listener that takes the
// port right after the start (another app's dev server restarting) must not make `up` green,
// nor doctor once the app's own server is gone; a daemon in a session of its own still is
// ours; a dev server that says it did not get its port has failed; a start that reports an
// error and exits 0 is reported by that error. Real processes, ports of their own, the built CLI.
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'
import {
  alive,
  cleanups,
  expectGroupStopped,
  freePort,
  health,
  killServersAfterwards,
  serverSource,
} from './restart/servers.js'

// Another app's server: binds the port as soon as devsetup has written its start header to the
// log (after the pre-start port check: the race), or at once without a log to wait for.
const foreignSource = `
const fs = require('node:fs')
const [log, port, host = '0.0.0.0'] = [process.argv[2], Number(process.argv[3]), process.argv[4]]
const serve = () =>
  require('node:http').createServer((req, res) => res.end('foreign')).listen(port, host, () => console.log('bound'))
if (log === '-') serve()
else {
  const poll = setInterval(() => {
    let text = ''
    try { text = fs.readFileSync(log, 'utf8') } catch {}
    if (text.includes('devsetup started')) { clearInterval(poll); serve() }
  }, 5)
}
`

// Next's/Vite's shape: says the port was in use and serves on another (or, \`SAME=1\`, on it anyway).
const hopSource = `
const port = Number(process.env.PORT)
console.log('Port ' + port + ' is in use, trying ' + (port + 1) + ' instead.')
require('node:http').createServer((req, res) => res.end('app')).listen(process.env.SAME ? port : port + 1, '127.0.0.1')
`

// NodeBB's shape: a loader in a session of its own writes its pidfile and forks the worker that
// listens; the worker gets an environment without devsetup's token, so only its parentage says whose it is.
const loaderSource = `
const { fork } = require('node:child_process')
require('node:fs').writeFileSync('loader.pid', process.pid + '\\n')
const { DEVSETUP_SERVER, ...env } = process.env
fork('server.js', { env })
setInterval(() => {}, 1e6)
`

function repo(restart: string, port: number): string {
  const dir = tempRepo({
    'server.js': serverSource,
    'foreign.js': foreignSource,
    'hop.js': hopSource,
    'loader.js': loaderSource,
    'devsetup.yml': `version: 1
env:
  PORT: "${port}"
steps:
  - restart:
${restart}      health: http://127.0.0.1:${port}/health
      health_timeout: 30s
`,
  })
  killServersAfterwards(dir, ['loader.pid'])
  return dir
}

function foreign(
  dir: string,
  port: number,
  log: string,
  argv0 = 'node',
  host = '0.0.0.0',
): Promise<ChildProcess> {
  const child = spawn(
    'bash',
    ['-c', `exec -a ${argv0} node foreign.js "$@"`, 'foreign', log, String(port), host],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  cleanups.push(() => child.kill('SIGKILL'))
  if (log !== '-') return Promise.resolve(child)
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child))
    child.once('exit', (code) =>
      reject(new Error(`the foreign listener exited (${code}) before binding ${host}:${port}`)),
    )
  })
}

const elapsed = async <T>(run: () => Promise<T>) => {
  const at = Date.now()
  const result = await run()
  return { ...result, ms: Date.now() - at }
}

describe('restart: the server that answers is the one devsetup started', () => {
  it('fails `up` at once, naming the holder, when a foreign listener takes the port right after the start', async () => {
    const port = await freePort()
    const dir = repo('      start: sleep 2; exec node server.js\n', port)
    const listener = await foreign(dir, port, path.join(stateDirOf(dir), 'server.log'))
    const up = await elapsed(() => runCli(['up'], { cwd: dir }))
    const output = up.stdout + up.stderr
    expect(up.code, output).not.toBe(0)
    expect(output).toContain(`port ${port} is taken by pid ${listener.pid} (\`node foreign.js`)
    expect(output).toContain('not by the server devsetup started')
    expect(up.ms).toBeLessThan(10_000)
    expectGroupStopped(output, dir)
    expect(alive(listener.pid!)).toBe(true)
  })

  it('turns doctor (and ps) red when the app server is gone and a foreign process answers on its port', async () => {
    const port = await freePort()
    // A watcher's shape: the start's shell outlives the app it ran.
    const dir = repo('      start: node server.js; sleep 600\n', port)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)
    process.kill((await health(port)).pid, 'SIGKILL')
    const listener = await foreign(dir, port, '-')
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.code, doctor.stdout).toBe(1)
    expect(doctor.stdout + doctor.stderr).toContain(`port ${port} is taken by pid ${listener.pid}`)
    const ps = await runCli(['ps'], { cwd: dir })
    expect(ps.stdout + ps.stderr).toContain(`port ${port} is taken by pid ${listener.pid}`)
  })

  it('keeps a pidfile daemon in a session of its own, whose worker listens, green', async () => {
    const port = await freePort()
    const dir = repo(
      '      pidfile: loader.pid\n      start: setsid node loader.js > loader.log 2>&1 < /dev/null &\n',
      port,
    )
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stdout).toMatch(/daemonized as pid \d+, healthy in/)
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0)
  })

  it('does not judge a container port forwarder, nor a port ours shares with another under a second address', async () => {
    // `docker compose up` as the start: the listener is the engine's forwarder, not the start's child.
    const port = await freePort()
    const dir = repo('      start: sleep 600\n', port)
    await foreign(dir, port, path.join(stateDirOf(dir), 'server.log'), 'docker-proxy')
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect((await runCli(['doctor'], { cwd: dir })).code).toBe(0)

    // The app on 127.0.0.1 (health's address), another process on ::1: which one answers a
    // probe is not known from the port alone, so nothing is claimed (as before).
    const second = await freePort()
    const shared = repo('      start: node server.js\n', second)
    expect((await runCli(['up'], { cwd: shared })).code).toBe(0)
    await foreign(shared, second, '-', 'node', '::1')
    const doctor = await runCli(['doctor'], { cwd: shared })
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0)
  })

  it('fails `up` at once when the dev server says its port was in use and it serves on another', async () => {
    const port = await freePort()
    const dir = repo('      start: node hop.js\n', port)
    const up = await elapsed(() => runCli(['up'], { cwd: dir }))
    const output = up.stdout + up.stderr
    expect(up.code, output).not.toBe(0)
    expect(output).toContain(
      `the server did not get its port: its log says "Port ${port} is in use, trying ${port + 1} instead."`,
    )
    expect(up.ms).toBeLessThan(10_000)
    expectGroupStopped(output, dir)
  })

  it('fails `up` on that line also when something answers on the port', async () => {
    const port = await freePort()
    const dir = repo('      start: SAME=1 node hop.js\n', port)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).not.toBe(0)
    expect(up.stdout + up.stderr).toContain(`its log says "Port ${port} is in use`)
  })

  it('leads with the error line of a start that reports an error and exits 0, without the daemon hint', async () => {
    const port = await freePort()
    const dir = repo(`      start: echo '[ error ] options.port should be >= 0 and < 65536'; exit 0\n`, port)
    const up = await runCli(['up'], { cwd: dir })
    const output = up.stdout + up.stderr
    expect(up.code, output).not.toBe(0)
    expect(output).toMatch(
      /health check failed: "\[ error \] options\.port should be >= 0 and < 65536", then `[^`]+` exited 0 before becoming healthy/,
    )
    expect(output).not.toContain('if it daemonizes')
  })

  it('leads with the first error line of a start that exits non-zero, before npm-style lines push it out of the tail', async () => {
    const port = await freePort()
    const npmTail = Array.from({ length: 8 }, (_, i) => `echo 'npm error line ${i}';`).join(' ')
    const dir = repo(
      `      start: "echo 'src/Post.ts(14,45): error TS2559: Type string has no properties'; ${npmTail} exit 2"\n`,
      port,
    )
    const up = await runCli(['up'], { cwd: dir })
    const output = up.stdout + up.stderr
    expect(up.code, output).not.toBe(0)
    expect(output).toMatch(
      /health check failed: "src\/Post\.ts\(14,45\): error TS2559: Type string has no properties", then `[^`]+` exited with code 2 before becoming healthy/,
    )
  })

  it("quotes uptime-kuma's `[SERVER] ERROR:` line of a start that exits non-zero", async () => {
    const port = await freePort()
    const dir = repo(
      `      start: "echo '2026-12-07 [SERVER] ERROR - Failed to prepare your database - SQLITE_CORRUPT'; exit 1"\n`,
      port,
    )
    const up = await runCli(['up'], { cwd: dir })
    const output = up.stdout + up.stderr
    expect(up.code, output).not.toBe(0)
    expect(output).toContain(
      '"2026-12-07 [SERVER] ERROR - Failed to prepare your database - SQLITE_CORRUPT", then `',
    )
  })

  it('gives the daemon hint once when a start exits 0 with no error in its log', async () => {
    const port = await freePort()
    const dir = repo(`      start: echo starting; exit 0\n`, port)
    const up = await runCli(['up'], { cwd: dir })
    const output = up.stdout + up.stderr
    expect(up.code, output).not.toBe(0)
    const reason = output.split('\n').find((line) => line.includes('failed: health check failed'))!
    expect(reason.split('if it daemonizes').length - 1, output).toBe(1)
  })
})
