// A crash under a watcher devsetup has no line for (the shape of AdonisJS's `node ace serve
// --hmr`: the app prints its own error report, no "Node.js v…" line, and dies or stays stuck;
// the watcher prints nothing and stays) is reported from the process group within 2 s; and servers that
// are slow to boot, log errors while they retry, run short helpers or have a helper crash
// beside them are never called crashed. Real processes, a watcher written for the test, the
// built CLI, ports of their own.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'
import { expectGroupStopped, freePort, killServersAfterwards } from './restart/servers.js'

// Runs each script given as its own child and stays alive whatever they do, printing nothing.
const watcher = `
const { spawn } = require('node:child_process')
for (const script of process.argv.slice(2)) spawn(process.execPath, [script], { stdio: 'inherit' })
setInterval(() => {}, 1e6)
`

// Reports a missing variable the way AdonisJS's bin/server.js does (its own formatting, exit
// code set, no uncaught exception), after booting for 600 ms.
const crashingApp = `
setTimeout(() => {
  console.error('\\n  EnvValidationException: Missing environment variable "GITHUB_TOKEN"\\n')
  console.error('   ⁃ start/env.ts:14')
  require('node:fs').writeFileSync('crashed-at', String(Date.now()))
  process.exitCode = 1
}, 600)
`

// AdonisJS under --hmr: the same report, printed as youch-terminal prints it (the name alone on
// its line, the message below, `⁃` frames), and the process stays alive after it, as hot-hook's
// file watcher keeps the real one alive.
const stuckApp = `
setTimeout(() => {
  console.error('   EnvValidationException:')
  console.error('Missing environment variable "GITHUB_TOKEN"')
  console.error('   at new EnvValidationException start/env.ts:14')
  console.error('   ⁃ <anonymous>')
  console.error('     bin/server.ts:28')
  require('node:fs').writeFileSync('crashed-at', String(Date.now()))
  process.exitCode = 1
}, 600)
setInterval(() => {}, 1e6)
`

// Healthy but slow: runs a short helper that exits, logs a connection error while it "retries"
// (idle, silent), and only then listens.
const slowApp = `
const http = require('node:http')
require('node:child_process').spawnSync(process.execPath, ['-e', 'process.exit(0)'])
console.error('Error: connect ECONNREFUSED 127.0.0.1:5432 (retrying in 1.5s)')
console.error('    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)')
setTimeout(() => {
  console.error('Error: connect ECONNREFUSED 127.0.0.1:5432 (retrying in 1.5s)')
  setTimeout(() => http.createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1'), 1500)
}, 1500)
`

// A helper beside the server (a CSS build under `concurrently`) that crashes while the server boots.
const crashingHelper = `setTimeout(() => {
  console.error("TypeError: cannot read the theme\\n    at build (/app/theme.js:3:9)")
  process.exitCode = 1
}, 500)`

function repo(port: number, start: string): string {
  const dir = tempRepo({
    'watch.js': watcher,
    'app.js': crashingApp,
    'stuck.js': stuckApp,
    'slow.js': slowApp,
    'helper.js': crashingHelper,
    'package.json': JSON.stringify({ name: 'app', private: true }),
    'devsetup.yml': `version: 1
env:
  PORT: "${port}"
steps:
  - restart:
      start: ${start}
      health: http://127.0.0.1:${port}/
      health_timeout: 2m
`,
  })
  killServersAfterwards(dir)
  return dir
}

/** Runs `up` on a crashing start; expects `report`, the log, a report within 2 s, the group stopped. */
async function expectReport(start: string, label: string, report: (port: number) => string) {
  const port = await freePort()
  const dir = repo(port, start)
  const result = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
  const reported = Date.now()
  const output = result.stdout + result.stderr
  expect(result.code, output).toBe(1)
  const ms = reported - Number(readFileSync(path.join(dir, 'crashed-at'), 'utf8'))
  console.log(`[timing] ${label}: crash -> failure report ${ms} ms`)
  expect(output).toContain(report(port))
  expect(output).toContain('GITHUB_TOKEN')
  // The report is due within 2 s; the CLI's own start and exit are inside this measure too.
  expect(ms).toBeLessThan(2000)
  expectGroupStopped(output, dir)
  return output
}

describe('the process group tells a crash under a watcher with no line of its own', () => {
  it('an app that exits after its report: within 2 s, with the log, and the group stopped', async () => {
    const output = await expectReport(
      'node watch.js app.js',
      'silent watcher, app exits',
      (port) =>
        // pids vary: matched around them
        `waits idle with nothing listening on port ${port}`,
    )
    expect(output).toMatch(
      /the server crashed: its process \(pid \d+\) exited after reporting "EnvValidationException: Missing environment variable "GITHUB_TOKEN"", and what is left of its process group \(pid [\d, ]+\)/,
    )
    expect(output).toContain('⁃ start/env.ts:14')
  })

  it('an app that stays alive, stuck after its report: the same', async () => {
    const output = await expectReport(
      'node watch.js stuck.js',
      'silent watcher, app stuck',
      (port) => `has been idle and silent since with nothing listening on port ${port}`,
    )
    expect(output).toMatch(
      /the server crashed: it reported "EnvValidationException: Missing environment variable "GITHUB_TOKEN"" and its process group \(pid [\d, ]+\)/,
    )
  })

  it('a slow server that runs a helper and logs errors while it retries is not crashed', async () => {
    const port = await freePort()
    const dir = repo(port, 'node watch.js slow.js')
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stdout).toMatch(/healthy in [\d.]+s/)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok')
  })

  it('a helper crashing beside a server that still boots is not the server crashing', async () => {
    const port = await freePort()
    const dir = repo(port, 'node watch.js helper.js slow.js')
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    // The helper did crash, error report and all, while the server booted.
    expect(readFileSync(path.join(stateDirOf(dir), 'server.log'), 'utf8')).toContain(
      'TypeError: cannot read the theme',
    )
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok')
  })
})
