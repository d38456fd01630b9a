// The `restart` step with real processes: a real HTTP server started through `npm run`
// (wrapper → sh → node), real pidfiles, real ports on 127.0.0.1, and the built CLI.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, runCli, stateDirOf, tempRepo } from '../helpers.js'
import {
  alive,
  cleanups,
  freePort,
  health,
  kill,
  killServersAfterwards,
  readIfExists,
  serverSource,
} from './restart/servers.js'

// `; echo` keeps sh alive as the parent of node: killing only the wrapper would orphan node.
const packageJson = JSON.stringify({
  name: 'app',
  private: true,
  scripts: { dev: 'node server.js; echo exited' },
})

function serverRepo(port: number, restartKeys: string, extraSteps = ''): string {
  const repo = tempRepo({
    'server.js': serverSource,
    'package.json': packageJson,
    'input.txt': 'v1\n',
    'devsetup.yml': `version: 1
env:
  PORT: "${port}"
steps:
  - name: build
    run: echo built
    inputs: input.txt
${extraSteps}  - restart:
${restartKeys}`,
  })
  killServersAfterwards(repo, ['tmp/server.pid'])
  return repo
}

const restartEnd = (stdout: string) =>
  events(stdout).find((e) => e.event === 'step:end' && e.step === 'restart') as
    | { status: string; reason: string }
    | undefined

describe('restart with start + health', () => {
  it('starts the server detached through npm run, leaves it alone when nothing changed, restarts it after a change with no orphan', async () => {
    const port = await freePort()
    const repo = serverRepo(port, `      start: npm run dev\n      health: http://127.0.0.1:${port}/health\n`)

    const first = await runCli(['up', '--json'], { cwd: repo })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(restartEnd(first.stdout)).toMatchObject({ status: 'changed' })
    expect(restartEnd(first.stdout)!.reason).toMatch(
      /started `npm run dev` \(pid \d+, log \S+\/server\.log\), healthy in/,
    )
    // devsetup has exited: the server outlives it.
    const before = await health(port)
    expect(before.status).toBe(200)
    const wrapperPid = Number(readFileSync(path.join(stateDirOf(repo), 'server.pid'), 'utf8'))
    expect(readFileSync(path.join(stateDirOf(repo), 'server.log'), 'utf8')).toContain(`listening on ${port}`)

    const again = await runCli(['up'], { cwd: repo })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('Restart npm run dev — ok: nothing changed')
    expect((await health(port)).pid).toBe(before.pid)

    writeFileSync(path.join(repo, 'input.txt'), 'v2\n')
    const changed = await runCli(['up', '--json'], { cwd: repo })
    expect(changed.code, changed.stdout).toBe(0)
    const end = restartEnd(changed.stdout)!
    expect(end.status).toBe('changed')
    expect(end.reason).toMatch(
      new RegExp(`^stopped pid ${wrapperPid} \\(SIGTERM in \\d+(ms|\\.\\ds)\\); started`),
    )
    const after = await health(port)
    expect(after.status).toBe(200)
    expect(after.pid).not.toBe(before.pid)
    // The old node (a grandchild of the wrapper, not signalled by anyone but the group kill) is gone.
    expect(alive(before.pid)).toBe(false)
    expect(alive(wrapperPid)).toBe(false)
  })

  it('kills with SIGKILL a server that ignores SIGTERM, within stop_timeout', async () => {
    const port = await freePort()
    const repo = serverRepo(
      port,
      `      start: npm run dev\n      health: http://127.0.0.1:${port}/health\n      stop_timeout: 1s\n`,
    )
    const env = { IGNORE_TERM: '1' }
    expect((await runCli(['up'], { cwd: repo, env })).code).toBe(0)
    const before = await health(port)
    writeFileSync(path.join(repo, 'input.txt'), 'v2\n')
    const started = Date.now()
    const result = await runCli(['up'], { cwd: repo, env })
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toMatch(
      /changed: stopped pid \d+ \(SIGKILL after \d+\.\ds: its process group ignored SIGTERM for 1\.0s \(stop_timeout\)\); started/,
    )
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(alive(before.pid)).toBe(false)
    expect((await health(port)).pid).not.toBe(before.pid)
  })

  it('leaves alone an unrelated live process named in a stale pidfile, and starts the server', async () => {
    const port = await freePort()
    const repo = serverRepo(
      port,
      `      pidfile: tmp/server.pid\n      start: npm run dev\n      health: http://127.0.0.1:${port}/health\n`,
    )
    const env = { PIDFILE: 'tmp/server.pid' }
    expect((await runCli(['up'], { cwd: repo, env })).code).toBe(0)
    // Pretend the server died and its pid was reused by something else.
    const server = await health(port)
    kill(-Number(readFileSync(path.join(stateDirOf(repo), 'server.pid'), 'utf8')))
    await waitFor(() => !alive(server.pid))
    const unrelated: ChildProcess = spawn('sleep', ['1000'], { stdio: 'ignore' })
    cleanups.push(() => unrelated.kill('SIGKILL'))
    writeFileSync(path.join(repo, 'tmp/server.pid'), `${unrelated.pid}\n`)

    const result = await runCli(['up', '--verbose'], { cwd: repo, env })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toContain(
      `server not running (stale pidfile: pid ${unrelated.pid} is \`sleep 1000\`, not the server`,
    )
    expect(result.stdout).toMatch(/changed: started `npm run dev`/)
    expect(alive(unrelated.pid!)).toBe(true)
    const restarted = await health(port)
    expect(restarted.status).toBe(200)
    expect(readFileSync(path.join(repo, 'tmp/server.pid'), 'utf8').trim()).toBe(String(restarted.pid))
  })

  it('names the process holding the port instead of failing to start vaguely', async () => {
    const port = await freePort()
    const squatter = spawn(
      process.execPath,
      ['-e', `require('net').createServer().listen(${port}, '127.0.0.1')`],
      {
        stdio: 'ignore',
      },
    )
    cleanups.push(() => squatter.kill('SIGKILL'))
    await waitFor(async () => await connects(port))
    const repo = serverRepo(port, `      start: npm run dev\n      port: ${port}\n`)
    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.stdout).toContain(
      `server not running; port ${port} is taken by pid ${squatter.pid} (\`${process.execPath} -e`,
    )
    const result = await runCli(['up'], { cwd: repo })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `failed: cannot start \`npm run dev\`: port ${port} is taken by pid ${squatter.pid}`,
    )
    expect(existsSync(path.join(stateDirOf(repo), 'server.pid'))).toBe(false)
  })

  it('restarts when health fails with nothing changed, and reports the last status on timeout', async () => {
    const port = await freePort()
    const repo = serverRepo(
      port,
      `      start: npm run dev\n      health: http://127.0.0.1:${port}/health\n      health_timeout: 2s\n`,
    )
    expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
    writeFileSync(path.join(repo, 'unhealthy'), '')
    const result = await runCli(['up'], { cwd: repo })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`running: health check failed: http://127.0.0.1:${port}/health: HTTP 500`)
    expect(result.stdout).toMatch(
      /failed: health check failed: http:\/\/127\.0\.0\.1:\d+\/health not healthy after 2s: HTTP 500; stopping its process group \d+ \(raise `health_timeout` if it only needs longer\) \(log: \S+\/server\.log\)/,
    )
    expect(result.stderr).toMatch(/\[restart\] stopped its process group \d+ \(SIG\w+ in \S+\)/)
    // Not left running, holding the port: the next `up` starts it afresh.
    expect((await runCli(['doctor'], { cwd: repo })).stdout).toContain('unmet: server not running')
  })
})

describe('restart with an app pidfile naming a process in the repository', () => {
  const recipe =
    'version: 1\nsteps:\n  - restart: { pidfile: tmp/pids/server.pid, start: sleep 100, when: always }\n'
  // A process working in the repo, as an editor opened there would be; detached: it leads its own group.
  const spawnInRepo = (repo: string, code: string) => {
    const child = spawn(process.execPath, ['-e', code], { cwd: repo, detached: true, stdio: 'ignore' })
    cleanups.push(() => kill(-child.pid!))
    return child.pid!
  }
  const editorCode = "process.title = 'vim notes.md'; setInterval(() => {}, 1e6)"

  it('never stops a process that started after the pidfile was written (a reused pid)', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    killServersAfterwards(repo, ['tmp/pids/server.pid'])
    const editor = spawnInRepo(repo, editorCode)
    await waitFor(() => readIfExists(`/proc/${editor}/cmdline`).startsWith('vim notes.md'))
    // Left by a server that died a minute ago; its pid now belongs to the editor.
    const pidfile = path.join(repo, 'tmp/pids/server.pid')
    mkdirSync(path.dirname(pidfile), { recursive: true })
    writeFileSync(pidfile, `${editor}\n`)
    const written = new Date(Date.now() - 60_000)
    utimesSync(pidfile, written, written)

    const result = await runCli(['up', '--verbose'], { cwd: repo })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).not.toContain(`stopped pid ${editor}`)
    expect(result.stdout).toContain(
      `removed stale tmp/pids/server.pid: pid ${editor} (\`vim notes.md\`) started after the pidfile was written: a reused pid, not the server`,
    )
    expect(result.stdout).toMatch(/changed: started `sleep 100`/)
    expect(alive(editor)).toBe(true)
    expect(existsSync(pidfile)).toBe(false)
  })

  it("removes a pidfile naming a zombie (a killed server not yet reaped), which Rails' own check takes for a live server", async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    killServersAfterwards(repo, ['tmp/pids/server.pid'])
    // `sleep 0.05` exits; its parent `exec`ed into `sleep 30`, which never reaps it: a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $! > zombie.pid; exec sleep 30'], {
      cwd: repo,
      detached: true,
      stdio: 'ignore',
    })
    cleanups.push(() => kill(-parent.pid!))
    const zombieFile = path.join(repo, 'zombie.pid')
    await waitFor(() => existsSync(zombieFile) && readFileSync(zombieFile, 'utf8').trim() !== '')
    const zombie = Number(readFileSync(zombieFile, 'utf8'))
    await waitFor(() => readIfExists(`/proc/${zombie}/stat`).split(') ')[1]?.startsWith('Z') === true)
    const pidfile = path.join(repo, 'tmp/pids/server.pid')
    mkdirSync(path.dirname(pidfile), { recursive: true })
    writeFileSync(pidfile, `${zombie}\n`)

    const result = await runCli(['up'], { cwd: repo })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(/changed: started `sleep 100`/)
    expect(existsSync(pidfile)).toBe(false)
  })

  it('stops a server started by hand that wrote the pidfile itself', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    killServersAfterwards(repo, ['tmp/pids/server.pid'])
    const server = spawnInRepo(
      repo,
      "const fs = require('node:fs'); fs.mkdirSync('tmp/pids', { recursive: true }); fs.writeFileSync('tmp/pids/server.pid', process.pid + '\\n'); setInterval(() => {}, 1e6)",
    )
    await waitFor(() => readIfExists(path.join(repo, 'tmp/pids/server.pid')) === `${server}\n`)

    const result = await runCli(['up'], { cwd: repo })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(
      new RegExp(`changed: stopped pid ${server} \\(SIGTERM in [\\d.]+m?s\\); started \`sleep 100\``),
    )
    expect(alive(server)).toBe(false)
  })
})

describe('restart by signal', () => {
  it('signals only the pid in the pidfile, which reloads in place', async () => {
    const port = await freePort()
    const repo = serverRepo(
      port,
      `      pidfile: tmp/server.pid\n      signal: HUP\n      start: npm run dev\n      health: http://127.0.0.1:${port}/health\n`,
    )
    const env = { PIDFILE: 'tmp/server.pid' }
    expect((await runCli(['up'], { cwd: repo, env })).code).toBe(0)
    const before = await health(port)
    writeFileSync(path.join(repo, 'input.txt'), 'v2\n')
    const result = await runCli(['up'], { cwd: repo, env })
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain(`changed: sent SIGHUP to pid ${before.pid}, healthy in`)
    await waitFor(() => readIfExists(path.join(repo, 'reloads')) === `${before.pid}\n`)
    expect((await health(port)).pid).toBe(before.pid)
  })
})

describe('restart across a failed run', () => {
  it('keeps the restart pending when a later step fails, and restarts on the fixed re-run', async () => {
    const port = await freePort()
    const failing = '  - name: migrate\n    run: test -f fixed\n    check: test -f fixed\n'
    const repo = serverRepo(
      port,
      `      start: npm run dev\n      health: http://127.0.0.1:${port}/health\n`,
      failing,
    )
    writeFileSync(path.join(repo, 'fixed'), '')
    expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
    const original = await health(port)

    // Run 1: build changes, migrate fails before the restart is reached.
    writeFileSync(path.join(repo, 'input.txt'), 'v2\n')
    const { rmSync } = await import('node:fs')
    rmSync(path.join(repo, 'fixed'))
    const failed = await runCli(['up', '--json'], { cwd: repo })
    expect(failed.code).toBe(1)
    expect(restartEnd(failed.stdout)).toMatchObject({ status: 'not-run' })
    expect((await health(port)).pid).toBe(original.pid)

    // Run 2: only the failure is fixed; build is unchanged, yet the restart happens.
    writeFileSync(path.join(repo, 'fixed'), '')
    const fixed = await runCli(['up', '--json'], { cwd: repo })
    expect(fixed.code, fixed.stdout).toBe(0)
    const buildEnd = events(fixed.stdout).find((e) => e.step === 'build' && e.event === 'step:end')
    expect(buildEnd).toMatchObject({ status: 'ok' })
    const runEvent = events(fixed.stdout).find((e) => e.event === 'step:run' && e.step === 'restart')
    expect(JSON.stringify(runEvent)).toContain('build changed in an earlier run')
    expect(restartEnd(fixed.stdout)).toMatchObject({ status: 'changed' })
    expect((await health(port)).pid).not.toBe(original.pid)

    // Run 3: handled; nothing pending any more.
    const third = await runCli(['up'], { cwd: repo })
    expect(third.stdout).toContain('ok: nothing changed')
  })
})

describe('restart by touch', () => {
  it('touches the file only after a change, and always with when: always', async () => {
    const repo = tempRepo({
      'input.txt': 'v1\n',
      'devsetup.yml':
        'version: 1\nsteps:\n  - name: build\n    run: echo built\n    inputs: input.txt\n  - restart:\n      touch: tmp/restart.txt\n',
    })
    const file = path.join(repo, 'tmp/restart.txt')
    const first = await runCli(['up'], { cwd: repo })
    expect(first.stdout).toContain('Restart (touch tmp/restart.txt) — changed: touched tmp/restart.txt')
    const old = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000)
    utimesSync(file, old, old)

    const second = await runCli(['up'], { cwd: repo })
    expect(second.stdout).toContain('ok: nothing changed')
    expect(statSync(file).mtimeMs).toBe(old.getTime())

    writeFileSync(path.join(repo, 'input.txt'), 'v2\n')
    const third = await runCli(['up'], { cwd: repo })
    expect(third.stdout).toContain('running: build changed')
    expect(statSync(file).mtimeMs).toBeGreaterThan(old.getTime() + 30_000)

    writeFileSync(
      path.join(repo, 'devsetup.yml'),
      'version: 1\nsteps:\n  - restart: { touch: tmp/restart.txt, when: always }\n',
    )
    utimesSync(file, old, old)
    const always = await runCli(['up'], { cwd: repo })
    expect(always.stdout).toContain('running: runs every time (when: always)')
    expect(statSync(file).mtimeMs).toBeGreaterThan(old.getTime() + 30_000)
  })
})

describe('restart recipe errors', () => {
  it.each([
    ['{ touch: tmp/restart.txt, signal: FOO }', 'not a signal name'],
    ['{ health: http://127.0.0.1:3000 }', 'needs one of `touch`, `command`, `pidfile` or `start`'],
    ['{ pidfile: tmp/pids/server.pid }', '`pidfile` alone can stop the server but not start it again'],
    ['{ touch: /tmp/restart.txt }', 'must be a path inside the repository'],
    ['{ start: npm run dev, health: "localhost:3000" }', 'expected an http(s):// URL or tcp://host:port'],
  ])('%s', async (config, message) => {
    const repo = tempRepo({ 'devsetup.yml': `version: 1\nsteps:\n  - restart: ${config}\n` })
    const result = await runCli(['validate'], { cwd: repo })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stderr).toMatch(/devsetup\.yml:3:\d+/)
  })
})

async function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

async function waitFor(done: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
