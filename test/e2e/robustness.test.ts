// Regressions found in review: each case once misbehaved.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, startCli, tempRepo, waitFor } from '../helpers.js'

describe('the engine does not linger or guess', () => {
  it('exits as soon as the run is over, without waiting for checks nobody needs', async () => {
    const repo = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - run: exit 1\n    creates: never\n  - run: "true"\n    check: sleep 20\n',
    })
    const started = Date.now()
    const result = await runCli([], { cwd: repo })
    expect(result.code).toBe(1)
    expect(Date.now() - started).toBeLessThan(8000)
  })

  it('asks `if:` again after an earlier step changed something', async () => {
    const repo = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - run: touch .env\n    creates: .env\n  - name: Needs env\n    run: touch used\n    creates: used\n    if: { exists: .env }\n',
    })
    const result = await runCli([], { cwd: repo })
    expect(result.stdout).toContain('✔ Needs env — changed')
    expect(existsSync(path.join(repo, 'used'))).toBe(true)
  })

  it('applies a step timeout to its check too', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - run: "true"\n    check: sleep 30\n    timeout: 1s\n',
    })
    const started = Date.now()
    const result = await runCli([], { cwd: repo })
    expect(result.code).toBe(1)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('doctor interrupted during a check exits 130, not "unmet"', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - run: "true"\n    check: touch checking; sleep 20\n',
    })
    const { child, done } = startCli(['doctor'], { cwd: repo })
    await waitFor(() => existsSync(path.join(repo, 'checking')), 10_000, 'the check to start')
    child.kill('SIGINT')
    const result = await done
    expect(result.code).toBe(130)
    expect(result.stdout).not.toContain('unmet')
  })

  it('a missing step cwd is named as such, not as a missing command', async () => {
    const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: echo hi\n    cwd: frontend\n' })
    const result = await runCli([], { cwd: repo })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/working directory \S*frontend does not exist/)
  })
})

describe('odd input gets a clear error', () => {
  it('an unresolved YAML alias is a recipe error, not a crash', async () => {
    const result = await runCli(['validate'], {
      cwd: tempRepo({ 'devsetup.yml': 'version: 1\nsteps: [*nope]\n' }),
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/devsetup\.yml:\d+:\d+: (malformed YAML|YAML alias)/)
    expect(result.stderr).not.toContain('internal error')
  })

  it('YAML merge keys work', async () => {
    const recipe =
      'version: 1\nx-defaults: &defaults\n  retries: 1\nsteps:\n  - <<: *defaults\n    run: "true"\n    creates: x\n'
    const result = await runCli(['list', '--json'], {
      cwd: tempRepo({ 'devsetup.yml': recipe.replace('x-defaults', 'env') }),
    })
    expect(result.stderr).toBe('')
  })

  it('timeouts must be positive and fit a timer', async () => {
    for (const timeout of ['0', '25d']) {
      const repo = tempRepo({
        'devsetup.yml': `version: 1\nsteps:\n  - run: "true"\n    timeout: ${timeout}\n`,
      })
      const result = await runCli(['validate'], { cwd: repo })
      expect(result.code, timeout).toBe(2)
      expect(result.stderr).toContain('between 1ms and 24 days')
    }
  })

  it('a misspelled command is named, with a suggestion; options may come before the command', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - run: "true"\n    creates: devsetup.yml\n',
    })
    const typo = await runCli(['doctr'], { cwd: repo })
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('unknown command `doctr`')
    expect(typo.stderr).toContain('did you mean `doctor`?')
    const before = await runCli(['--cwd', repo, 'doctor'], { cwd: tempRepo() })
    expect(before.code).toBe(0)
    expect(before.stdout).toContain('ready')
  })
})
