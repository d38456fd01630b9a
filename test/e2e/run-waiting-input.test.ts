// A `run` step whose command asks a question (drizzle-kit push: "Yes, I want to remove 2
// tables?") waits for an answer nobody types. Its stdin is a pipe devsetup holds and never
// writes, so the command blocks on it; idle, silent and reading stdin for 5 s, it is stopped and
// fails, with its question. Real processes: a Node prompt (readline, through the event loop) and a
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
    const started = Date.now()
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 60_000 })
    const seconds = (Date.now() - started) / 1000
    expect(up.code, up.stdout + up.stderr).toBe(1)
    expect(up.stdout).toContain(
      '`node ask.js` was stopped: it is waiting for input (its last line: Apply 2 changes, dropping table users? (y/N)): give it the answer as a flag or an env variable, or run it once by hand',
    )
    expect(seconds).toBeGreaterThan(4.5)
    expect(seconds).toBeLessThan(15)
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
})
