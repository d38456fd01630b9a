// A `restart` reacts to the changes of the steps before it. The walk of issue 23: `devsetup add`
// appended a new step after the recipe's `restart`, so the restart its change called for came
// on the next, otherwise empty run, and that run's line did not say why. Through the built CLI.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { listedIds, runCli, tempRepo } from '../helpers.js'

const withRestart = `version: 1
steps:
  - name: Build
    run: touch built.txt
    creates: built.txt
  - name: Server
    restart:
      touch: tmp/restart.txt
`

describe('devsetup add and the restart step', () => {
  it('puts a new step before the first restart, says so, and the restart it calls for comes in the same run', async () => {
    const dir = tempRepo({ 'devsetup.yml': withRestart })
    expect((await runCli(['up'], { cwd: dir })).code).toBe(0)

    const added = await runCli(
      ['add', 'run', '--name', 'Git hooks', 'run=touch hooks.txt', 'creates=hooks.txt'],
      { cwd: dir },
    )
    expect(added.code).toBe(0)
    expect(added.stderr).toBe('')
    expect(added.stdout).toContain('added step `git-hooks` (Git hooks) to devsetup.yml:6, before `server`')
    expect(await listedIds(dir)).toEqual(['build', 'git-hooks', 'server'])
    expect(readFileSync(path.join(dir, 'devsetup.yml'), 'utf8')).toBe(
      withRestart.replace(
        '  - name: Server\n',
        '  - name: Git hooks\n    run: touch hooks.txt\n    creates: hooks.txt\n  - name: Server\n',
      ),
    )

    const next = await runCli(['up'], { cwd: dir })
    expect(next.code).toBe(0)
    expect(next.stdout).toContain('Git hooks — changed')
    expect(next.stdout).toMatch(/✔ Server — changed: touched tmp\/restart\.txt/)
    // Nothing left over for a third run.
    const third = await runCli(['up'], { cwd: dir })
    expect(third.stdout).toContain('everything already set up, nothing changed')
  })

  it('--json says where the step went; a `restart` itself still goes last', async () => {
    const dir = tempRepo({ 'devsetup.yml': withRestart })
    const json = await runCli(['add', 'run', '--id', 'seed', 'run=true', 'check=true', '--json'], {
      cwd: dir,
    })
    expect(JSON.parse(json.stdout)).toMatchObject({ id: 'seed', line: 6, before: 'server' })
    const second = await runCli(['add', 'restart', 'command=true', '--id', 'worker'], { cwd: dir })
    expect(second.code).toBe(0)
    expect(second.stdout).not.toContain('before')
    expect(await listedIds(dir)).toEqual(['build', 'seed', 'server', 'worker'])
  })

  it('warns, in add and in validate, about a step placed after the restart, with file:line', async () => {
    const dir = tempRepo({ 'devsetup.yml': withRestart })
    const late = await runCli(['add', 'run', '--id', 'late', 'run=true', 'check=true', '--after', 'server'], {
      cwd: dir,
    })
    expect(late.code).toBe(0)
    const warning =
      'devsetup.yml:9:5: step `late`: runs after the dev server restarted (step `server`, line 6): the restart will only come on the next run; move it before `server`'
    expect(late.stderr).toContain(warning)

    const validate = await runCli(['validate'], { cwd: dir })
    expect(validate.code).toBe(0)
    expect(validate.stderr).toContain(warning)
    const json = await runCli(['validate', '--json'], { cwd: dir })
    expect(JSON.parse(json.stdout).warnings).toContain(warning)

    // A step whose changes need no restart (cleanup; `restarts: false`) is fine after it.
    const cleanup = await runCli(['add', 'cleanup', 'paths=tmp/cache', '--after', 'late'], { cwd: dir })
    expect(cleanup.code).toBe(0)
    expect(cleanup.stderr).not.toContain('runs after the dev server restarted')
    const quiet = await runCli(
      ['add', 'run', '--id', 'q', 'run=true', 'check=true', 'restarts=false', '--after', 'late'],
      {
        cwd: dir,
      },
    )
    expect(quiet.code).toBe(0)
    expect(quiet.stderr).not.toContain('runs after the dev server restarted')
    const again = await runCli(['validate'], { cwd: dir })
    expect(again.stderr.match(/runs after the dev server restarted/g)).toHaveLength(1)
  })

  it('a restart with `after:` warns only about the steps it follows', async () => {
    const dir = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - id: build
    run: echo ok
    check: 'true'
  - id: server
    restart: { touch: tmp/restart.txt, after: [build, assets] }
  - id: docs
    run: echo ok
    check: 'true'
  - id: assets
    run: echo ok
    check: 'true'
`,
    })
    const validate = await runCli(['validate'], { cwd: dir })
    expect(validate.code).toBe(0)
    expect(validate.stderr).toContain('devsetup.yml:11:5: step `assets`: runs after the dev server restarted')
    expect(validate.stderr).not.toContain('step `docs`: runs after')
  })

  it('a restart that comes a run late says why on its own final line', async () => {
    const dir = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - name: Server
    restart:
      touch: tmp/restart.txt
  - name: Late
    run: touch late.txt
    creates: late.txt
`,
    })
    const first = await runCli(['up'], { cwd: dir })
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('Late — changed')
    const second = await runCli(['up'], { cwd: dir })
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(
      /✔ Server — changed: touched tmp\/restart\.txt \(because late changed in an earlier run\)/,
    )
  })
})
