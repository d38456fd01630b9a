import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, isAlive, runCli, startCli, stateDirOf, tempRepo, waitFor } from '../helpers.js'

// A step whose command starts a grandchild (the kind npm/make wrappers leave behind)
// and records both pids, then waits.
const slowRecipe = `version: 1
steps:
  - name: Slow
    run: |
      sleep 300 &
      echo $! > grandchild.pid
      echo $$ > shell.pid
      wait
    creates: done.txt
  - name: After
    run: touch after.txt
    creates: after.txt
`

describe('Ctrl-C', () => {
  it('stops the running command and its children, saves state, releases the lock, exits 130', async () => {
    const repo = tempRepo({ 'devsetup.yml': slowRecipe })
    const { child, done } = startCli([], { cwd: repo })
    const grandchildFile = path.join(repo, 'grandchild.pid')
    await waitFor(
      () => existsSync(grandchildFile) && readFileSync(grandchildFile, 'utf8').trim() !== '',
      15_000,
      'the step to start',
    )
    const grandchild = Number(readFileSync(grandchildFile, 'utf8'))
    const shell = Number(readFileSync(path.join(repo, 'shell.pid'), 'utf8'))
    expect(isAlive(grandchild)).toBe(true)

    child.kill('SIGINT')
    const result = await done
    expect(result.code).toBe(130)
    expect(result.stderr).toContain('interrupted')
    expect(result.stdout).toContain('○ After — not run: interrupted')
    // Stopped by the person, not failed: no red failure report, counted as interrupted.
    // (its time shows when it ran 50 ms or more: the signal may come sooner)
    expect(result.stdout).toMatch(/^■ Slow — interrupted( \(.*\))?$/m)
    expect(result.stdout).toContain('1 interrupted · 1 not run')
    expect(result.stdout).not.toContain('failed')
    expect(result.stderr).not.toContain('failed')
    expect(result.stderr).not.toContain('command:')
    await waitFor(() => !isAlive(grandchild) && !isAlive(shell), 5_000, 'no orphans')
    expect(existsSync(path.join(stateDirOf(repo), 'run.lock'))).toBe(false)
    const state = JSON.parse(readFileSync(path.join(stateDirOf(repo), 'state.json'), 'utf8'))
    expect(state.runs.at(-1).status).toBe('interrupted')
    expect(existsSync(path.join(repo, 'after.txt'))).toBe(false)
  })

  it('--json: the step ends `interrupted` and the summary counts it so', async () => {
    const repo = tempRepo({ 'devsetup.yml': slowRecipe })
    const { child, done } = startCli(['--json'], { cwd: repo })
    await waitFor(() => existsSync(path.join(repo, 'shell.pid')), 15_000, 'the step to start')
    child.kill('SIGINT')
    const result = await done
    expect(result.code).toBe(130)
    const lines = events(result.stdout)
    expect(lines.find((e) => e.step === 'slow' && e.event === 'step:end')).toMatchObject({
      status: 'interrupted',
    })
    expect(lines.find((e) => e.step === 'slow' && e.event === 'step:end')).not.toHaveProperty('failure')
    expect(lines.at(-1)).toMatchObject({
      event: 'summary',
      status: 'interrupted',
      counts: { interrupted: 1 },
    })
  })
})

describe('one run at a time', () => {
  it('a second run waits briefly, then names the pid that holds the lock', async () => {
    const repo = tempRepo({ 'devsetup.yml': slowRecipe })
    const first = startCli([], { cwd: repo })
    await waitFor(() => existsSync(path.join(repo, 'grandchild.pid')), 15_000, 'the first run to start')
    const started = Date.now()
    const second = await runCli([], { cwd: repo })
    expect(second.code).toBe(1)
    expect(Date.now() - started).toBeGreaterThan(1500)
    expect(second.stderr).toContain(
      `another devsetup run is working in this repository (pid ${first.child.pid}`,
    )
    expect(second.stderr).toContain(`kill ${first.child.pid}`)
    first.child.kill('SIGINT')
    expect((await first.done).code).toBe(130)
  })

  it('a lock left by a crashed run does not block the next one', async () => {
    const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: touch ok\n    creates: ok\n' })
    mkdirSync(path.join(stateDirOf(repo), 'run.lock'), { recursive: true })
    // A pid that is certainly not running: the largest allowed on Linux is below 2^22.
    writeFileSync(
      path.join(stateDirOf(repo), 'run.lock.json'),
      JSON.stringify({ pid: 4_194_999, startedAt: 'x', command: 'devsetup up' }),
    )
    const result = await runCli([], { cwd: repo })
    expect(result.stderr).toBe(
      'warning: took over the lock left by pid 4194999, which is no longer running\n',
    )
    expect(result.code).toBe(0)
    expect(existsSync(path.join(repo, 'ok'))).toBe(true)
  })
  it('a lock whose holder is a zombie (exited, never reaped) does not block the next one', async () => {
    const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: touch ok\n    creates: ok\n' })
    // The short sleep outlives the exec; its parent is then `sleep 30`, which never waits for it: a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $! > zombie.pid; exec sleep 30'], { cwd: repo })
    try {
      const pidFile = path.join(repo, 'zombie.pid')
      // Written by `echo`: wait for its content, not just for the file.
      await waitFor(
        () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '',
        5000,
        'the zombie',
      )
      const zombie = Number(readFileSync(path.join(repo, 'zombie.pid'), 'utf8'))
      await waitFor(
        () => readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z '),
        5000,
        'the zombie state',
      )
      mkdirSync(path.join(stateDirOf(repo), 'run.lock'), { recursive: true })
      const owner = { pid: zombie, startedAt: 'x', command: 'devsetup up' }
      writeFileSync(path.join(stateDirOf(repo), 'run.lock.json'), JSON.stringify(owner))
      const result = await runCli([], { cwd: repo })
      expect(result.stderr).toBe(
        `warning: took over the lock left by pid ${zombie}, which is no longer running\n`,
      )
      expect(result.code).toBe(0)
    } finally {
      parent.kill('SIGKILL')
    }
  })
})

describe('doctor', () => {
  it('exits 1 with each unmet step, its reason and fix, changing nothing; then 0 after up', async () => {
    const repo = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - name: Config\n    id: config\n    run: touch config.txt\n    creates: config.txt\n',
    })
    const before = await runCli(['doctor'], { cwd: repo })
    expect(before.code).toBe(1)
    expect(before.stdout).toContain('✗ Config — unmet: config.txt missing')
    expect(before.stdout).toContain('fix: touch config.txt')
    expect(existsSync(path.join(repo, 'config.txt'))).toBe(false)
    expect(existsSync(stateDirOf(repo))).toBe(false)

    expect((await runCli([], { cwd: repo })).code).toBe(0)
    const after = await runCli(['doctor', '--json'], { cwd: repo })
    expect(after.code).toBe(0)
    expect(
      after.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).status),
    ).toEqual(['ok', 'ok'])
  })
})
