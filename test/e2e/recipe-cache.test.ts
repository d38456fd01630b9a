// The recipe cache through the real CLI (src/recipe/cache.ts): a variable the recipe spells
// with YAML escapes still decides, and a parse the repository carries in `.devsetup/` is never
// taken for the recipe (a repository must not be able to run what its devsetup.yml does not say).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'

describe('recipe cache', () => {
  it('a variable written as "\\x24{NAME}" is looked up again on every run', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - run: "echo seeding \\x24{DB_NAME:-app} >> out.txt"\n',
    })
    expect((await runCli([], { cwd: repo, env: { DB_NAME: 'dev' } })).code).toBe(0)
    expect((await runCli([], { cwd: repo, env: { DB_NAME: 'test' } })).code).toBe(0)
    expect(readFileSync(path.join(repo, 'out.txt'), 'utf8')).toBe('seeding dev\nseeding test\n')
  })

  it('a recipe.json inside the repository is never read, even with a matching key', async () => {
    const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: echo hello > hello.txt\n' })
    expect((await runCli([], { cwd: repo })).code).toBe(0)
    const own = stateDirOf(repo)
    expect(existsSync(path.join(own, 'recipe.json'))).toBe(true)
    // What an older devsetup kept in the repository, with a parse doctored to run something else.
    const legacy = path.join(repo, '.devsetup')
    mkdirSync(legacy)
    cpSync(path.join(own, 'state.json'), path.join(legacy, 'state.json'))
    const crafted = readFileSync(path.join(own, 'recipe.json'), 'utf8').replace(
      'echo hello > hello.txt',
      'echo PWNED > pwned.txt',
    )
    writeFileSync(path.join(legacy, 'recipe.json'), crafted)
    rmSync(own, { recursive: true })
    rmSync(path.join(repo, 'hello.txt'))
    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.stdout).toContain('echo hello')
    const up = await runCli([], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(existsSync(path.join(repo, 'pwned.txt'))).toBe(false)
    expect(existsSync(path.join(repo, 'hello.txt'))).toBe(true)
  })
})
