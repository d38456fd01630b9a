// A crashed dev server's failure is reported before its process group is stopped: a large
// group (docmost's 26 processes under `concurrently`) took 1.6 s to stop, and the failure line
// waited for it. Here a group of 26 whose members take 3 s to end on SIGTERM, around a server
// that answered (HTTP 503) before it crashed, so it gets its whole stop_timeout: the failure,
// with the server's log, is out while the group still runs; `up` still ends only after the
// group is gone, and `ps` and `doctor` after it see the end state. A server that never answered
// (etherpad's bad port: an error at boot, then a 3.5 s shutdown of its own on SIGTERM) gets a
// short grace and SIGKILL, so `up` does not wait out its shutdown; one that answered saves its
// state on SIGTERM uncut. Orders and outcomes, not timings (crash → report and crash → exit are
// `npm run bench -- crash`'s claims). Real processes, the built CLI, ports of their own.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, repoRoot, runCli, startCli, stateDirOf, tempRepo } from '../helpers.js'
import { freePort, groupMembers, killServersAfterwards, readIfExists } from './restart/servers.js'

const fixtures = path.join(repoRoot, 'test/fixtures/restart/crash-group')
const apps = Object.fromEntries(
  readdirSync(fixtures).map((f) => [f, readFileSync(path.join(fixtures, f), 'utf8')]),
)

/** `start` (the crowd: a crashing app beside 24 processes that each take LINGER seconds to end on SIGTERM). */
function crowdRepo(
  port: number,
  linger: string,
  restartKeys = '',
  start = 'node crowd.js answered.js',
): string {
  const dir = tempRepo({
    ...apps,
    'devsetup.yml': `version: 1
env:
  PORT: "${port}"
  CROWD: "24"
  LINGER: "${linger}"
steps:
  - restart:
      start: ${start}
      health: http://127.0.0.1:${port}/
      health_timeout: 2m
${restartKeys}`,
  })
  killServersAfterwards(dir)
  return dir
}

describe('a crashed server in a large process group', () => {
  it('is reported while its group is still being stopped; up ends after the group is gone', async () => {
    const dir = crowdRepo(await freePort(), '3')
    const { child, done } = startCli(['up', '--json'], { cwd: dir, timeoutMs: 60_000 })
    // What the group looked like when the failure line came out.
    let atReport: { pgid: number; members: number; serverPid: string } | undefined
    let buffered = ''
    child.stdout!.on('data', (chunk) => {
      buffered += chunk
      for (const line of buffered.split('\n').slice(0, -1)) {
        if (atReport || !line.includes('"step:end"')) continue
        const pgid = Number(/stopping its process group (\d+)/.exec(line)?.[1])
        atReport = {
          pgid,
          members: pgid ? groupMembers(pgid).length : 0,
          serverPid: readIfExists(path.join(stateDirOf(dir), 'server.pid')).trim(),
        }
      }
    })
    const result = await done
    const output = result.stdout + result.stderr
    expect(result.code, output).toBe(1)
    const [end] = events(result.stdout).filter((e) => e.event === 'step:end')
    expect(end, output).toMatchObject({ step: 'restart', status: 'failed' })
    expect(end!.reason).toMatch(/nothing listens on port \d+ any more, though it did after the start/)
    expect((end!.failure as { tail: string[] }).tail.join('\n')).toContain('could not load the plugin store')

    // Reported first: the group (the app's relay, 24 lingering members and their sleeps) still ran.
    expect(atReport, output).toBeDefined()
    expect(atReport!.pgid, output).toBeGreaterThan(0)
    expect(atReport!.members, output).toBeGreaterThan(20)
    expect(atReport!.serverPid).toBe(String(atReport!.pgid))

    // Stopped before `up` ended, said after the report, and forgotten.
    const after = events(result.stdout).find((e) => e.event === 'step:after')
    expect(after?.reason, output).toMatch(
      new RegExp(`^stopped its process group ${atReport!.pgid} \\(SIGTERM in \\d\\.\\ds\\)$`),
    )
    // It answered before its crash: its own SIGTERM handler ran to its end.
    expect(readIfExists(path.join(dir, 'shut-down'))).toBe('state saved')
    const order = events(result.stdout).map((e) => e.event)
    expect(order.indexOf('step:end')).toBeLessThan(order.indexOf('step:after'))
    expect(order.at(-1)).toBe('summary')
    expect(groupMembers(atReport!.pgid)).toEqual([])
    expect(readIfExists(path.join(stateDirOf(dir), 'server.pid'))).toBe('')

    const ps = await runCli(['ps', '--json'], { cwd: dir })
    expect(ps.code, ps.stderr).toBe(0)
    expect(JSON.parse(ps.stdout).running).toEqual([])
    const doctor = await runCli(['doctor', '--json'], { cwd: dir })
    expect(doctor.code, doctor.stdout).toBe(1)
    const check = events(doctor.stdout).find((e) => e.event === 'step:end' && e.step === 'restart')
    expect(check, doctor.stdout).toMatchObject({ status: 'unmet' })
    expect(check!.reason).toMatch(/server not running/)
  })

  it('Ctrl-C while the group is being stopped kills it at once, not after its stop_timeout', async () => {
    // Members that would linger 10 minutes, given 5 minutes of grace: only a kill ends them in time.
    const dir = crowdRepo(await freePort(), '600', '      stop_timeout: 5m\n')
    const { child, done } = startCli(['up', '--json'], { cwd: dir, timeoutMs: 60_000 })
    let pgid = 0
    child.stdout!.on('data', (chunk) => {
      const found = /"step:end".*stopping its process group (\d+)/.exec(String(chunk))
      if (found && !pgid) {
        pgid = Number(found[1])
        child.kill('SIGINT')
      }
    })
    const result = await done
    const output = result.stdout + result.stderr
    expect(pgid, output).toBeGreaterThan(0)
    expect(result.signal, output).toBeNull()
    const after = events(result.stdout).find((e) => e.event === 'step:after')
    expect(after?.reason, output).toMatch(
      new RegExp(`^stopped its process group ${pgid} \\(SIGKILL on Ctrl-C in`),
    )
    expect(groupMembers(pgid)).toEqual([])
  })

  it('that never answered gets a short grace, then SIGKILL: up does not wait out its slow shutdown', async () => {
    // etherpad's shape: the error at boot, alive and idle, 3 s of shutdown on SIGTERM; its stop_timeout is 10 s.
    const dir = crowdRepo(await freePort(), '3', '', 'node slow-stop.js')
    const result = await runCli(['up', '--json'], { cwd: dir, timeoutMs: 60_000 })
    const output = result.stdout + result.stderr
    expect(result.code, output).toBe(1)
    const end = events(result.stdout).find((e) => e.event === 'step:end')
    expect(end!.reason, output).toMatch(
      /the server crashed: it reported "\[ERROR\] server - Error occurred while starting the app"/,
    )
    const after = events(result.stdout).find((e) => e.event === 'step:after')
    const pgid = Number(/^stopped its process group (\d+) /.exec(String(after?.reason))?.[1])
    expect(after?.reason, output).toMatch(
      /\(SIGKILL in \d+ms: it never answered, so 200ms of SIGTERM, not its stop_timeout\)$/,
    )
    // Gone when `up` returned, killed before its shutdown ended, and forgotten.
    expect(groupMembers(pgid)).toEqual([])
    expect(readIfExists(path.join(dir, 'shut-down'))).toBe('')
    expect(readIfExists(path.join(stateDirOf(dir), 'server.pid'))).toBe('')
  })

  it('that answered (HTTP 503) and then crashed gets its whole grace: its SIGTERM handler saves its state', async () => {
    // The app alone, taking 1 s on SIGTERM: more than the short grace, well within stop_timeout.
    const dir = crowdRepo(await freePort(), '0', '', 'node answered.js')
    const result = await runCli(['up', '--json'], { cwd: dir, timeoutMs: 60_000 })
    const output = result.stdout + result.stderr
    expect(result.code, output).toBe(1)
    const end = events(result.stdout).find((e) => e.event === 'step:end')
    expect(end!.reason, output).toMatch(
      /nothing listens on port \d+ any more, though it did after the start.*last check: connection refused/,
    )
    const after = events(result.stdout).find((e) => e.event === 'step:after')
    expect(after?.reason, output).toMatch(/^stopped its process group \d+ \(SIGTERM in 1\.\ds\)$/)
    expect(readIfExists(path.join(dir, 'shut-down'))).toBe('state saved')
  })
})
