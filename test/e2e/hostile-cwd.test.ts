// A step's `cwd` may not leave the repository, not even through a symbolic link: the link is
// resolved and the step refused, for every step type, before it touches anything there.
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'

/** A repository whose `linkdir` points at a folder outside it, holding one file. */
function repoWithEscape(steps: string): { repo: string; outside: string } {
  const outside = tempRepo({ 'keep.log': 'precious\n', '.env.example': 'A=1\n' }, { git: false })
  const repo = tempRepo({ 'devsetup.yml': `version: 1\nsteps:\n${steps}` })
  symlinkSync(outside, path.join(repo, 'linkdir'))
  mkdirSync(path.join(repo, 'sub'))
  symlinkSync('../linkdir', path.join(repo, 'sub', 'deeper'))
  return { repo, outside }
}

describe('cwd through a symbolic link cannot leave the repository', () => {
  it.each([
    ['run', '  - run: touch pwned\n    cwd: linkdir\n'],
    ['run, with a check', '  - run: touch pwned\n    check: touch pwned-by-check; false\n    cwd: linkdir\n'],
    ['run, a link to a link', '  - run: touch pwned\n    cwd: sub/deeper\n'],
    ['dotenv', '  - dotenv: { from: .env.example }\n    cwd: linkdir\n'],
    ['cleanup', '  - cleanup: { paths: ["*.log"] }\n    cwd: linkdir\n'],
    [
      'restart',
      '  - run: touch changed\n    creates: changed\n  - restart: { touch: pwned }\n    cwd: linkdir\n',
    ],
  ])('%s: refused, and nothing outside is touched', async (_type, steps) => {
    const { repo, outside } = repoWithEscape(steps)
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code).toBe(1)
    expect(up.stdout).toMatch(/cwd `(linkdir|sub\/deeper)` leads outside the repository/)
    expect(readdirSync(outside).sort()).toEqual(['.env.example', 'keep.log'])
    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.code).toBe(1)
    expect(readdirSync(outside).sort()).toEqual(['.env.example', 'keep.log'])
  })

  it('a link that stays inside the repository is fine', async () => {
    const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: touch made\n    cwd: alias\n' })
    mkdirSync(path.join(repo, 'real'))
    symlinkSync('real', path.join(repo, 'alias'))
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code).toBe(0)
    expect(existsSync(path.join(repo, 'real', 'made'))).toBe(true)
  })

  it('a repository that itself sits behind a link works', async () => {
    const real = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: touch made\n    cwd: sub\n' })
    mkdirSync(path.join(real, 'sub'))
    const holder = tempRepo({}, { git: false })
    symlinkSync(real, path.join(holder, 'repo'))
    writeFileSync(path.join(holder, 'unused'), '')
    const up = await runCli(['up'], { cwd: path.join(holder, 'repo') })
    expect(up.code).toBe(0)
    expect(existsSync(path.join(real, 'sub', 'made'))).toBe(true)
  })
})
