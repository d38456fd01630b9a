// A huge recipe (generated, or corrupted) loads in linear time, reports a capped list of
// problems, and Ctrl-C / SIGTERM stops it while it loads. Speed itself: bench/recipe-size.bench.mjs.
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, startCli, stateDirOf, tempRepo } from '../helpers.js'

function unknownKeysRecipe(steps: number): string {
  let text = 'version: 1\nsteps:\n'
  for (let i = 0; i < steps; i++) text += `  - run: "true"\n    unknownkey${i}: 1\n    creates: x\n`
  return text
}

describe('a huge recipe', () => {
  it('5,000 unknown keys: the first 20 are shown, then how many more', async () => {
    const repo = tempRepo({ 'devsetup.yml': unknownKeysRecipe(5000) })
    const r = await runCli(['validate'], { cwd: repo, timeoutMs: 40_000 })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('devsetup.yml:4:5: unknown key `unknownkey0` in a `run` step')
    expect(r.stderr).toContain('… and 4,980 more')
    expect(r.stderr).not.toContain('unknownkey20`')
  }, 60_000)

  it('4,000 unnamed steps get ids run, run-2, … run-4000', async () => {
    let text = 'version: 1\nsteps:\n'
    for (let i = 0; i < 4000; i++) text += '  - run: "true"\n    creates: devsetup.yml\n'
    const repo = tempRepo({ 'devsetup.yml': text })
    const r = await runCli(['list', '--json'], { cwd: repo, timeoutMs: 40_000 })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('"run-4000"')
    expect(r.stdout).toContain('"run-2"')
  }, 60_000)

  it("state.json's run history stays bounded: 12 runs of 1,000 steps add no more than the first 10 runs' cap", async () => {
    let text = 'version: 1\nsteps:\n'
    for (let i = 0; i < 1000; i++) text += '  - run: "true"\n    inputs: [devsetup.yml]\n'
    const repo = tempRepo({ 'devsetup.yml': text })
    const stateFile = path.join(stateDirOf(repo), 'state.json')
    expect((await runCli([], { cwd: repo, timeoutMs: 60_000 })).code).toBe(0)
    const afterFirst = statSync(stateFile).size
    for (let i = 0; i < 11; i++) expect((await runCli([], { cwd: repo, timeoutMs: 60_000 })).code).toBe(0)
    const state = JSON.parse(readFileSync(stateFile, 'utf8'))
    expect(state.runs).toHaveLength(10)
    // Each run keeps the timings of its slowest steps only, whatever the recipe's size.
    for (const run of state.runs) expect(Object.keys(run.steps).length).toBeLessThanOrEqual(100)
    // Every step in every run took ~25 bytes a run: 10 runs of 1,000 steps were 250 kB more.
    expect(statSync(stateFile).size - afterFirst).toBeLessThan(40_000)
  }, 180_000)

  it('SIGTERM while it loads stops the load (exit 130), instead of waiting for it to finish', async () => {
    const repo = tempRepo()
    writeFileSync(path.join(repo, 'devsetup.yml'), unknownKeysRecipe(20_000))
    // How long the whole load takes here, to signal in the middle of it.
    const started = Date.now()
    const whole = await runCli(['doctor'], { cwd: repo, timeoutMs: 120_000 })
    const wholeMs = Date.now() - started
    expect(whole.code).toBe(2)
    for (const command of ['doctor', 'validate']) {
      const { child, done } = startCli([command], { cwd: repo, timeoutMs: 120_000 })
      setTimeout(() => child.kill('SIGTERM'), wholeMs * 0.6)
      const r = await done
      // A load that ran to its end would report the recipe's problems and exit 2.
      expect(r.code, `${command}: ${r.stderr.slice(0, 300)}`).toBe(130)
      expect(r.stderr).toContain('interrupted')
    }
  }, 240_000)
})
