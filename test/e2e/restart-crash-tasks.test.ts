// A crash of the API beside a live front end under a task runner (Maintainerr: root `turbo dev`
// runs the API under `nest start --watch` and the UI's vite, each task a process group of its
// own in the start's session, devsetup's token stripped): the API prints why in its own words
// (no Error, no stack, no word of exiting) and exits, while nest's watcher and vite live on,
// vite listening on its own port. That is a crash, reported with the log line while the health
// port never listened, and everything the start ran is stopped. A build helper failing the same
// way while the real server boots on and then answers is not. Real processes, a runner written
// for the test in turbo's shape, the built CLI, ports of their own.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, repoRoot, runCli, stateDirOf, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards, readIfExists } from './restart/servers.js'

const fixtures = path.join(repoRoot, 'test/fixtures/restart/crash-group')
const apps = Object.fromEntries(
  readdirSync(fixtures).map((f) => [f, readFileSync(path.join(fixtures, f), 'utf8')]),
)

/** Every live process whose working directory is `dir` (what the start ran, in any group). */
function runningIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const state = readFileSync(`/proc/${e}/stat`, 'utf8').split(') ')[1]?.[0]
        return state !== 'Z' && readlinkSync(`/proc/${e}/cwd`) === dir
      } catch {
        return false
      }
    })
    .map(Number)
}

async function up(tasks: string) {
  const [port, uiPort] = [await freePort(), await freePort()]
  const dir = tempRepo({
    ...apps,
    'devsetup.yml': `version: 1
env:
  PORT: "${port}"
  UI_PORT: "${uiPort}"
steps:
  - restart:
      start: bash turbo.sh ${tasks}
      health: http://127.0.0.1:${port}/
      health_timeout: 2m
`,
  })
  killServersAfterwards(dir)
  const result = await runCli(['up', '--json'], { cwd: dir, timeoutMs: 60_000 })
  return { dir, port, result, output: result.stdout + result.stderr }
}

describe('restart: a task of the server exits after its error while its siblings live on', () => {
  it('the API under nest --watch beside a listening front end: a crash, reported with its line, all stopped', async () => {
    const { dir, port, result, output } = await up('"nest.js data-dir.js" ui.js')
    expect(result.code, output).toBe(1)
    const end = events(result.stdout).find((e) => e.event === 'step:end')
    expect(end!.reason, output).toMatch(
      new RegExp(
        `the server crashed: its process \\(pid [\\d, ]+\\) exited after saying "data-dir:dev: Could not create or access \\(files in\\) the data directory\\. Please make sure the necessary permissions are set", and what is left of its process group \\(pid [\\d, ]+\\) waits idle with nothing listening on port ${port}`,
      ),
    )
    const after = events(result.stdout).find((e) => e.event === 'step:after')
    expect(after?.reason, output).toMatch(/^stopped its process group \d+ \(/)
    // The front end, in a process group of its own, is stopped too: nothing of the start is left.
    expect(runningIn(dir)).toEqual([])
    expect(readIfExists(path.join(stateDirOf(dir), 'server.pid'))).toBe('')
  })

  it('a build helper failing in its own words while the server boots on and then answers is no crash', async () => {
    const { dir, result, output, port } = await up('build-fail.js api-boot.js ui.js')
    expect(result.code, output).toBe(0)
    expect(readFileSync(path.join(stateDirOf(dir), 'server.log'), 'utf8')).toContain(
      'build-fail:dev: theme: could not compile',
    )
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok')
  })

  it.each([
    ['detached', ''],
    ['left an orphan in its group', ' attached'],
    ['beside a helper child that outlives it (esbuild)', ' service'],
  ])(
    'a flush the app forks as it exits (Medusa telemetry), %s, neither hides its crash nor outlives up',
    async (_, how) => {
      const port = await freePort()
      const dir = tempRepo({
        ...apps,
        'devsetup.yml': `version: 1
steps:
  - restart:
      start: node nest.js flush-on-exit.js${how}
      health: http://127.0.0.1:${port}/
      health_timeout: 2m
`,
      })
      killServersAfterwards(dir)
      const result = await runCli(['up', '--json'], { cwd: dir, timeoutMs: 60_000 })
      const output = result.stdout + result.stderr
      expect(result.code, output).toBe(1)
      const [app, flush] = ['app.pid', 'flush.pid'].map((f) => readFileSync(path.join(dir, f), 'utf8').trim())
      // The app's exit is the crash (while the flush still ran, 20 s long), not the flush's later one.
      expect(output).toContain(`its process (pid ${app}) exited after`)
      expect(output).toContain('Error starting server')
      // The flush carries the start's token: stopped with the server, nothing left.
      expect(readIfExists(`/proc/${flush}/stat`)?.split(') ')[1]?.[0] ?? 'gone').toMatch(/gone|Z/)
    },
  )
})
