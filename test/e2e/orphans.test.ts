// devsetup killed with SIGKILL mid-step leaves the step's process group running (no exit
// handler runs). The next run stops that group — and only it — and says so. Real processes.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isRunning } from '../../src/engine/processes.js'
import { isAlive, runCli, startCli, stateDirOf, tempRepo, waitFor } from '../helpers.js'

const recipe = `version: 1
steps:
  - name: Slow
    run: |
      test -e second && touch done.txt && exit 0
      sleep 300 &
      echo $! > grandchild.pid
      echo $$ > shell.pid
      wait
    creates: done.txt
`

const others: ChildProcess[] = []
afterEach(() => {
  for (const child of others.splice(0)) child.kill('SIGKILL')
})

/** A process that has nothing to do with devsetup, leading its own group like a step's would. */
function unrelated(cwd: string): number {
  const child = spawn('sleep', ['300'], { cwd, detached: true, stdio: 'ignore' })
  others.push(child)
  return child.pid!
}

const pidIn = (file: string) => Number(readFileSync(file, 'utf8'))

describe('leftovers of a killed run', () => {
  it('the next run stops the orphaned group of the killed step, and nothing unrelated', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    const bystander = unrelated(repo)
    const { child, done } = startCli([], { cwd: repo })
    const grandchildFile = path.join(repo, 'grandchild.pid')
    const written = (file: string) => existsSync(file) && readFileSync(file, 'utf8').trim() !== ''
    await waitFor(() => written(grandchildFile) && written(path.join(repo, 'shell.pid')))
    child.kill('SIGKILL')
    expect((await done).signal).toBe('SIGKILL')
    const grandchild = pidIn(grandchildFile)
    const shell = pidIn(path.join(repo, 'shell.pid'))
    // Nothing ran devsetup's exit handler: the step's processes are still there.
    expect(isAlive(grandchild)).toBe(true)
    expect(isAlive(shell)).toBe(true)

    writeFileSync(path.join(repo, 'second'), '')
    const next = await runCli([], { cwd: repo })
    expect(next.code, next.stdout + next.stderr).toBe(0)
    expect(next.stderr).toMatch(
      new RegExp(
        `stopped \`test -e second && touch done.txt && exit 0 …\` \\(process group ${shell}, started [^)]+\\), left running by a devsetup run that was killed \\(SIGTERM in [\\d.]+m?s\\)`,
      ),
    )
    // Zombie-aware: PID 1 here reaps late, and kill(pid, 0) succeeds on a zombie.
    await waitFor(() => !isRunning(grandchild) && !isRunning(shell), 10_000, 'the orphans to end')
    expect(isAlive(bystander)).toBe(true)
    expect(existsSync(path.join(repo, 'done.txt'))).toBe(true)
    // Said once: the record is gone.
    expect((await runCli([], { cwd: repo })).stderr).toBe('')
  })

  it('leaves alone a recorded group whose pid now belongs to another process', async () => {
    const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: touch ok\n    creates: ok\n' })
    const other = unrelated(repo)
    await waitFor(() => readFileSync(`/proc/${other}/cmdline`, 'utf8').startsWith('sleep'))
    // The record a killed run left, for a group whose leader has since ended and whose pid was reused.
    const running = path.join(stateDirOf(repo), 'running')
    mkdirSync(running, { recursive: true })
    const record = { pgid: other, startTime: '1', command: 'npm ci', token: 'gone', startedAt: 'yesterday' }
    writeFileSync(path.join(running, `${other}.json`), JSON.stringify(record))

    const result = await runCli([], { cwd: repo })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(
      `not stopping process group ${other}: it is no longer \`npm ci\` (process group ${other}, started yesterday)`,
    )
    expect(isAlive(other)).toBe(true)
  })
})
