// A crash under a watcher devsetup has no line for (the shape of AdonisJS's `node ace serve
// --hmr`: the app prints its own error report, no "Node.js v…" line, and dies or stays stuck;
// the watcher prints nothing and stays), and an app that logs an unhandled rejection and never
// listens beside a front end that keeps printing, and an app that exits in its own words (no
// Error) beside a front end that stays alive, are reported from the process group; and servers
// that are slow to boot, log errors while they retry, run short helpers or have a helper crash
// or finish beside them are never called crashed. Real processes, a watcher written for the test, the
// built CLI, ports of their own.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli, stateDirOf, tempRepo } from '../helpers.js'
import { expectGroupStopped, freePort, killServersAfterwards } from './restart/servers.js'

// The apps and watchers, shared with bench/crash.bench.mjs (which times the reports).
const fixtures = path.join(repoRoot, 'test/fixtures/restart/crash-group')
const apps = Object.fromEntries(
  readdirSync(fixtures).map((f) => [f, readFileSync(path.join(fixtures, f), 'utf8')]),
)

function repo(port: number, start: string): string {
  const dir = tempRepo({
    ...apps,
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

/**
 * Runs `up` on a crashing start; expects `report`, the log's `said`, the group stopped. How
 * fast (the 2 s the issue asks) is `npm run bench`'s claim (bench/crash.bench.mjs); here only
 * that it comes at all: well inside the 2-minute health_timeout, or runCli's 60 s fail the test.
 */
async function expectReport(start: string, report: (port: number) => string, said = 'GITHUB_TOKEN') {
  const port = await freePort()
  const dir = repo(port, start)
  const result = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
  const output = result.stdout + result.stderr
  expect(result.code, output).toBe(1)
  expect(output).toContain(report(port))
  expect(output).toContain(said)
  expectGroupStopped(output, dir)
  return output
}

/** Runs `up` on a start that boots (however oddly): healthy, answering, its log showing `said`. */
async function expectHealthy(start: string, said = '') {
  const port = await freePort()
  const dir = repo(port, start)
  const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
  expect(up.code, up.stdout + up.stderr).toBe(0)
  expect(readFileSync(path.join(stateDirOf(dir), 'server.log'), 'utf8')).toContain(said)
  expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok')
  return up
}

describe('the process group tells a crash under a watcher with no line of its own', () => {
  it('an app that exits after its report: reported, with the log, and the group stopped', async () => {
    const output = await expectReport(
      'node watch.js app.js',
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
      (port) => `has been idle and silent since with nothing listening on port ${port}`,
    )
    expect(output).toMatch(
      /the server crashed: it reported "EnvValidationException: Missing environment variable "GITHUB_TOKEN"" and its process group \(pid [\d, ]+\)/,
    )
  })

  it('an app that logs an unhandled rejection and never listens, beside a front end that keeps printing: the same', async () => {
    const output = await expectReport(
      'node concurrently.js frontend.js backend.js',
      (port) => `has written nothing and stayed idle since with nothing listening on port ${port}`,
      'ERR_SOCKET_BAD_PORT',
    )
    expect(output).toMatch(
      /the server crashed: it reported "\[backend\] ERROR: UnhandledRejection, reason: RangeError \[ERR_SOCKET_BAD_PORT\][^"]*" and its process \(pid \d+\)/,
    )
    // The front end kept printing until the group was stopped; its lines are in the log tail.
    expect(output).toContain('[frontend] [vite] page reload')
  })

  it('an app that exits saying it gives up, with no Error, beside a front end that stays alive: the same', async () => {
    // docmost's MAIL_DRIVER=bogus: its validation exits under `nest start --watch`, vite lives on.
    const output = await expectReport(
      'node concurrently.js vite.js "nest.js env-exit.js"',
      (port) => `waits idle with nothing listening on port ${port}`,
      '{"isIn":"MAIL_DRIVER must be one of the following values: smtp, postmark"}',
    )
    expect(output).toMatch(
      /the server crashed: its process \(pid \d+\) exited after saying "\[nest\] The Environment variables has failed the following validations:" … "\[nest\] Please fix the environment variables and try again\. Exiting program\.\.\.", and what is left of its process group \(pid [\d, ]+\)/,
    )
  })

  it('an app that logs an unhandled rejection and then works on, silent, before it listens is not crashed', async () => {
    await expectHealthy('node concurrently.js frontend.js backend-busy.js', 'UnhandledRejection')
  })

  it('a slow server that runs a helper and logs errors while it retries is not crashed', async () => {
    const up = await expectHealthy('node watch.js slow.js')
    expect(up.stdout).toMatch(/healthy in [\d.]+s/)
  })

  it('a helper crashing beside a server that still boots is not the server crashing', async () => {
    // The helper did crash, error report and all, while the server booted.
    await expectHealthy('node watch.js helper.js slow.js', 'TypeError: cannot read the theme')
  })

  it('a helper that finishes saying it exits, nothing failed, beside a server booting idle and silent is not crashed', async () => {
    await expectHealthy('node concurrently.js seed.js quiet-boot.js', 'nothing to do, exiting.')
  })
})
