// `restart` knows when a dev server is up and when it is down for good: any answer below 500
// is up (a 302 to a setup page too); a crash is reported at once even under a watcher that
// stays alive (real `node --watch`, real nodemon from the npm registry, and a silent watcher
// in the shape of tsx watch); a server whose port closes while its process runs is down; and
// with no `health:` a server is up only once it listens on its port. Real processes, real
// HTTP servers on ports of their own, the built CLI.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { alive, expectGroupStopped, freePort, killServersAfterwards } from './restart/servers.js'

// An app server in the shape of the real ones that broke: it reads its settings from the
// environment, refuses to boot without JWT_SECRET (writing when it gave up, so the test can
// time the report from the crash), answers `/` with a 302 to its setup page, and on
// CLOSE_AFTER_MS stops listening while its process stays alive (a listener that died).
const appSource = `
const http = require('node:http')
const fs = require('node:fs')
const flag = process.argv.indexOf('-p')
const port = Number(flag > 0 ? process.argv[flag + 1] : process.env.PORT)
if (!process.env.JWT_SECRET) {
  fs.writeFileSync('crashed-at', String(Date.now()))
  throw new Error('JWT_SECRET is required')
}
const server = http.createServer((req, res) => {
  if (req.url === '/') res.writeHead(302, { location: '/setup' })
  else res.writeHead(process.env.UNHEALTHY ? 503 : 200)
  res.end(String(process.pid))
})
setTimeout(() => server.listen(port, '127.0.0.1', () => console.log('listening on ' + port)),
  Number(process.env.LISTEN_AFTER_MS || 0))
if (process.env.CLOSE_AFTER_MS) setTimeout(() => {
  server.close()
  fs.writeFileSync('crashed-at', String(Date.now()))
  console.log('listener closed')
}, Number(process.env.CLOSE_AFTER_MS))
setInterval(() => {}, 1e6)
`

// Keeps running after its app dies and prints nothing of its own, as tsx watch does: all the
// log shows is the app's own report of its uncaught error.
const silentWatcher = `
require('node:child_process').spawn(process.execPath, process.argv.slice(2), { stdio: 'inherit' })
setInterval(() => {}, 1e6)
`

function appRepo(port: number, restartKeys: string, env = ''): string {
  const repo = tempRepo({
    'server.js': appSource,
    'silent-watch.js': silentWatcher,
    'package.json': JSON.stringify({ name: 'app', private: true }),
    'devsetup.yml': `version: 1
env:
  PORT: "${port}"
${env}steps:
  - restart:
${restartKeys}`,
  })
  killServersAfterwards(repo)
  return repo
}

const recipeKeys = (start: string, extra = '') => `      start: ${start}\n${extra}`

/** Runs `up`, expects the crash report, and returns how long after the crash it came. */
async function expectCrashReport(repo: string, label: string, lines: RegExp[]): Promise<number> {
  const started = Date.now()
  const result = await runCli(['up'], { cwd: repo, timeoutMs: 60_000 })
  const reported = Date.now()
  const output = result.stdout + result.stderr
  expect(result.code, output).toBe(1)
  for (const line of lines) expect(output).toMatch(line)
  const crashedAt = Number(readFileSync(path.join(repo, 'crashed-at'), 'utf8'))
  const ms = reported - crashedAt
  console.log(`[timing] ${label}: crash -> failure report ${ms} ms; whole \`up\` ${reported - started} ms`)
  // Generous bound against a 120 s health_timeout: the test must not flake on a busy machine.
  expect(reported - started).toBeLessThan(10_000)
  // The crashed watcher's group (devsetup's own) is stopped, and forgotten.
  expectGroupStopped(output, repo)
  return ms
}

describe('health: a server that answers below 500 is up', () => {
  it('a 302 to a setup page is healthy at once; `health_status` asks for an exact status', async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}/`
    const repo = appRepo(
      port,
      recipeKeys('node server.js', `      health: ${url}\n      health_timeout: 2m\n`),
      '  JWT_SECRET: s3cret\n',
    )
    const started = Date.now()
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stdout).toMatch(/changed: started `node server\.js` .*, healthy in [\d.]+m?s/)
    expect(Date.now() - started).toBeLessThan(10_000)
    // The real server really answers 302 (redirects are not followed).
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(302)
    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.code, doctor.stdout).toBe(0)

    // The same server, asked by a recipe that wants a 200 there.
    const strict = appRepo(
      port,
      `      touch: tmp/restart.txt\n      health: ${url}\n      health_status: 200\n`,
    )
    const refused = await runCli(['doctor'], { cwd: strict })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain(`health check failed: ${url}: HTTP 302 (expected 200)`)
  })

  it('a 503 is not up: the timeout names the last status', async () => {
    const port = await freePort()
    const repo = appRepo(
      port,
      recipeKeys(
        'node server.js',
        `      health: http://127.0.0.1:${port}/health\n      health_timeout: 2s\n`,
      ),
      '  JWT_SECRET: s3cret\n  UNHEALTHY: "1"\n',
    )
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code).toBe(1)
    expect(up.stdout).toContain(`/health not healthy after 2s: HTTP 503`)
  })
})

describe('a crashed dev server is a failure at once, with its log, and its group is stopped', () => {
  const health = (port: number) => `      health: http://127.0.0.1:${port}/health\n      health_timeout: 2m\n`

  it('under `node --watch`, which stays alive after "Failed running"', async () => {
    const port = await freePort()
    const repo = appRepo(port, recipeKeys('node --watch server.js', health(port)))
    const ms = await expectCrashReport(repo, 'node --watch', [
      /the server crashed: its log says "Failed running 'server\.js'"/,
      /Error: JWT_SECRET is required/,
    ])
    expect(ms).toBeLessThan(10_000)
  })

  it('a plain server that exits 1', async () => {
    const port = await freePort()
    const repo = appRepo(port, recipeKeys('node server.js; exit 1', health(port)))
    const started = Date.now()
    const result = await runCli(['up'], { cwd: repo })
    const ms = Date.now() - Number(readFileSync(path.join(repo, 'crashed-at'), 'utf8'))
    console.log(
      `[timing] plain exit 1: crash -> failure report ${ms} ms; whole \`up\` ${Date.now() - started} ms`,
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/`node server\.js; exit 1` exited with code 1 before becoming healthy/)
    expect(result.stdout + result.stderr).toContain('Error: JWT_SECRET is required')
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('under nodemon (installed from the npm registry), which waits for file changes', async () => {
    const port = await freePort()
    const repo = appRepo(port, recipeKeys('npx nodemon server.js', health(port)))
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'nodemon@3'], {
      cwd: repo,
      stdio: 'pipe',
      timeout: 120_000,
    })
    await expectCrashReport(repo, 'nodemon', [
      /the server crashed: its log says "\[nodemon\] app crashed - waiting for file changes/,
      /Error: JWT_SECRET is required/,
    ])
  }, 180_000)

  it("under a watcher that prints nothing of its own (as tsx watch): Node's own report", async () => {
    const port = await freePort()
    const repo = appRepo(port, recipeKeys('node silent-watch.js server.js', health(port)))
    await expectCrashReport(repo, 'silent watcher', [/the server crashed: its log says "Node\.js v\d+/])
  })

  it('when nothing listens on its port any more while its process still runs', async () => {
    const port = await freePort()
    const repo = appRepo(
      port,
      recipeKeys('node server.js', health(port)),
      '  JWT_SECRET: s3cret\n  UNHEALTHY: "1"\n  CLOSE_AFTER_MS: "800"\n',
    )
    await expectCrashReport(repo, 'listener closed', [
      new RegExp(`nothing listens on port ${port} any more, though it did after the start`),
      /listener closed/,
    ])
  })
})

describe('a dev server without `health:` is up when it listens on its port', () => {
  it('waits for PORT from the recipe env; doctor then asks the port, and names a crash under the watcher', async () => {
    const port = await freePort()
    const repo = appRepo(
      port,
      '      start: node --watch server.js\n',
      '  JWT_SECRET: s3cret\n  LISTEN_AFTER_MS: "1500"\n',
    )
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    // How long it took follows the machine: only that it waited for the port is asserted.
    expect(up.stdout).toMatch(new RegExp(`listening on port ${port} after \\d+\\.\\ds`))
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200)
    expect((await runCli(['doctor'], { cwd: repo })).code).toBe(0)

    // The app dies, its watcher stays: the process runs, nothing serves.
    const app = Number(await (await fetch(`http://127.0.0.1:${port}/health`)).text())
    process.kill(app, 'SIGKILL')
    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toMatch(
      new RegExp(
        `server runs \\(pid \\d+\\) but nothing listens on port ${port} \\(PORT in the recipe env\\) \\(its log ends: "Failed running 'server\\.js'"\\)`,
      ),
    )
    const repaired = await runCli(['up'], { cwd: repo })
    expect(repaired.code, repaired.stdout).toBe(0)
    expect(repaired.stdout).toMatch(/stopped pid \d+ \(SIGTERM in [\d.]+m?s\); started/)
    expect(alive(app)).toBe(false)
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200)
  })

  it('takes the port from `-p N` in the start command, and fails at once when the app crashes', async () => {
    const port = await freePort()
    const other = await freePort()
    // PORT in the env says another port: the command's flag wins, as it does for the app.
    const repo = appRepo(port, `      start: node --watch server.js -p ${port}\n`, `  JWT_SECRET: s3cret\n`)
    execFileSync('sed', ['-i', `s/PORT: "${port}"/PORT: "${other}"/`, path.join(repo, 'devsetup.yml')])
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stdout).toMatch(new RegExp(`listening on port ${port} after`))

    const crashing = appRepo(other, `      start: node --watch server.js -p ${await freePort()}\n`)
    const started = Date.now()
    const failed = await runCli(['up'], { cwd: crashing })
    expect(failed.code).toBe(1)
    expect(failed.stdout).toMatch(
      /the server crashed: its log says "Failed running 'server\.js -p \d+'" .*; stopping its process group/,
    )
    // Stopped after the failure was reported, before `up` ended.
    expect(failed.stderr).toMatch(/\[restart\] stopped its process group \d+ \(SIGTERM in/)
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
