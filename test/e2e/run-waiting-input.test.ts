// A `run` step whose command asks a question (drizzle-kit push: "Yes, I want to remove 2
// tables?") waits for an answer nobody types. Its stdin is a pipe devsetup holds and never
// writes, so the command blocks on it; idle, silent and reading stdin for 5 s, it is stopped and
// fails, with its question. A command that waits there without asking (`cat > file`, a tool
// forwarding its stdin) reads end-of-file then, as it did from /dev/null; a pipeline's reader
// (`seed | tail -1`) reads its own pipe and is left alone. Real processes: a Node prompt (readline, through the event loop) and a
// shell's `read` (a read(2) on fd 0); a command that is only slow and silent is left alone.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'

// As a prompt library does: the question without a newline, the answer read from stdin.
const ask = `
const rl = require('node:readline').createInterface({ input: process.stdin, output: process.stdout })
console.log('Pulling schema from database...')
rl.question('Apply 2 changes, dropping table users? (y/N) ', (answer) => {
  require('node:fs').writeFileSync('answered', answer)
  rl.close()
})
`

const recipe = (run: string) =>
  `version: 1\nsteps:\n  - name: Push\n    run: ${JSON.stringify(run)}\n    creates: answered\n`

describe('run: a command that waits for input', () => {
  it('a Node prompt: stopped after ~5 s idle and silent on its stdin, with its question', async () => {
    const dir = tempRepo({ 'ask.js': ask, 'devsetup.yml': recipe('node ask.js') })
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout + up.stderr).toBe(1)
    expect(up.stdout).toContain(
      '`node ask.js` was stopped: it is waiting for input (its last line: Apply 2 changes, dropping table users? (y/N)): give it the answer as a flag or an env variable, or run it once by hand',
    )
    // Never answered: nothing was taken for a "no" (with stdin at end-of-file it was, and exited 0).
    expect(existsSync(path.join(dir, 'answered'))).toBe(false)
  }, 60_000)

  it("a shell's read (blocked in read(2) on fd 0) is stopped too", async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('printf \'Project name? \'; read name; printf %s "$name" > answered'),
    })
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout + up.stderr).toBe(1)
    expect(up.stdout).toContain('it is waiting for input (its last line: Project name?)')
  }, 60_000)

  it('a command that is silent and idle but reads no input runs to its end', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe('sleep 7 && touch answered') })
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(existsSync(path.join(dir, 'answered'))).toBe(true)
  }, 60_000)

  it('a reader that asks nothing gets end-of-file and goes on (cat > file; a forwarder)', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe('cat > got.txt; echo done; touch answered') })
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(existsSync(path.join(dir, 'got.txt'))).toBe(true)
    // A tool that hands its stdin to a child (docker compose run, ssh host cmd): the child's end.
    const forward = `const c = require('node:child_process').spawn('sh', ['-c', 'cat >/dev/null; touch answered'], { stdio: ['pipe', 'inherit', 'inherit'] })
process.stdin.pipe(c.stdin)`
    const dir2 = tempRepo({ 'forward.js': forward, 'devsetup.yml': recipe('node forward.js') })
    const up2 = await runCli(['up'], { cwd: dir2, timeoutMs: 60_000 })
    expect(up2.code, up2.stdout + up2.stderr).toBe(0)
    expect(existsSync(path.join(dir2, 'answered'))).toBe(true)
  }, 90_000)

  it("a pipeline's reader waits on the pipe before it, not on devsetup's: left alone", async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe("sh -c 'sleep 7; echo seeded' | tail -n 1 > out.txt; touch answered"),
    })
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    expect(up.code, up.stdout + up.stderr).toBe(0)
  }, 60_000)
})
