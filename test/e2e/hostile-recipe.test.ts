// Hostile recipes: each is refused at load time with file:line:col and words a person can act
// on — never an internal error, a raw Node error, or control characters echoed to the terminal.
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'

const noStack = /\n\s+at |internal error/

describe('a hostile recipe is refused before anything runs', () => {
  it('a NUL byte in a command is refused by validate, at its line and column', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - name: Bad\n    run: "touch ran\\0; echo"\n',
    })
    const validate = await runCli(['validate'], { cwd: repo })
    expect(validate.code).toBe(2)
    expect(validate.stderr).toMatch(/devsetup\.yml:4:10: .*NUL/)
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code).toBe(2)
    expect(up.stderr + up.stdout).not.toMatch(/ERR_INVALID_ARG_VALUE|internal error/)
  })

  it('a NUL byte in an env value or a path is refused too', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nenv:\n  A: "x\\0y"\nsteps:\n  - run: "true"\n    cwd: "sub\\0dir"\n',
    })
    const r = await runCli(['validate'], { cwd: repo })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/devsetup\.yml:3:6: .*NUL/)
    expect(r.stderr).toMatch(/devsetup\.yml:6:10: .*NUL/)
  })

  it('an unknown YAML tag is refused, and nothing runs', async () => {
    const repo = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - run: touch ran\n  - run: !!python/object:os.system "touch pwned"\n',
    })
    const r = await runCli(['up'], { cwd: repo })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/devsetup\.yml:4:10: .*unknown YAML tag `!!python\/object:os\.system`/)
    expect(r.stderr).not.toMatch(noStack)
    expect(existsSync(path.join(repo, 'ran'))).toBe(false)
  })

  it('a local tag (!foo) is refused as well', async () => {
    const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: !shell "true"\n' })
    const r = await runCli(['validate'], { cwd: repo })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/devsetup\.yml:3:10: .*unknown YAML tag `!shell`/)
  })

  it('a %YAML directive of an unknown version is refused', async () => {
    const repo = tempRepo({ 'devsetup.yml': '%YAML 9.9\n---\nversion: 1\nsteps:\n  - run: "true"\n' })
    const r = await runCli(['validate'], { cwd: repo })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/devsetup\.yml:1:1: .*YAML 9\.9/)
  })

  it('deep nesting says in words what is wrong', async () => {
    const depth = 20_000
    const repo = tempRepo({
      'devsetup.yml': `version: 1\nsteps:\n  - run: "true"\n    env: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
    })
    const r = await runCli(['validate'], { cwd: repo })
    expect(r.code).toBe(2)
    expect(r.stderr).not.toMatch(/call stack/i)
    expect(r.stderr).toMatch(/devsetup\.yml:\d+:\d+: .*nested .*deeper than/)
    expect(r.stderr).not.toMatch(noStack)
  })

  it('binary content is shown escaped, never as raw control characters', async () => {
    const repo = tempRepo()
    writeFileSync(
      path.join(repo, 'devsetup.yml'),
      Buffer.from('version: 1\nsteps: \x1b[2J\x1b]0;pwned\x07 \x00\x01\x02\x7f\n  - [\n'),
    )
    const r = await runCli(['validate'], { cwd: repo })
    expect(r.code).toBe(2)
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/)
    expect(r.stderr).toContain('\\x1b[2J')
  })

  it('a UTF-16 recipe is named as such, with the fix', async () => {
    const repo = tempRepo()
    const text = 'version: 1\nsteps:\n  - run: "true"\n'
    writeFileSync(
      path.join(repo, 'devsetup.yml'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    )
    const r = await runCli(['validate'], { cwd: repo })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/devsetup\.yml:1:1: .*UTF-16/)
    expect(r.stderr).toMatch(/UTF-8/)
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/)
  })
})
