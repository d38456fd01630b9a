// dotenv's `from:` and `to:` may not leave the repository through a symbolic link (issue 22 §3):
// a cloned repository must not make devsetup copy an outside file's lines into `.env`, append
// to an outside file, or create `.env` in an outside folder. Links that stay inside are fine.
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'

const outsideFiles = { 'secret.env': 'AWS_SECRET=outside-value\n', 'app.env': 'A=mine\n' }

function setup(step: string, links: [link: string, target: (outside: string) => string][]) {
  const outside = tempRepo(outsideFiles, { git: false })
  const repo = tempRepo({ 'devsetup.yml': `version: 1\nsteps:\n  - ${step}\n`, '.env.example': 'A=1\nB=2\n' })
  for (const [link, target] of links) symlinkSync(target(outside), path.join(repo, link))
  return { repo, outside }
}

describe('dotenv cannot reach outside the repository through a link', () => {
  it.each([
    [
      'from: a link to an outside file',
      'dotenv: { from: example.env }',
      'example.env',
      'secret.env',
      /from: `example\.env` leads outside/,
    ],
    ['to: a link to an outside file', 'dotenv: { to: .env }', '.env', 'app.env', /to: `\.env` leads outside/],
    [
      'to: inside a linked outside folder',
      'dotenv: { to: conf/.env }',
      'conf',
      '',
      /to: `conf\/\.env` leads outside/,
    ],
  ])(
    '%s: refused by up and doctor, nothing outside read or touched',
    async (_case, step, link, target, message) => {
      const { repo, outside } = setup(step, [[link, (o) => path.join(o, target)]])
      const doctor = await runCli(['doctor'], { cwd: repo })
      expect(doctor.code).toBe(1)
      expect(doctor.stdout).toMatch(message)
      const up = await runCli(['up'], { cwd: repo })
      expect(up.code).toBe(1)
      expect(up.stdout).toMatch(message)
      expect(up.stdout + up.stderr).not.toContain('outside-value')
      expect(readdirSync(outside).sort()).toEqual(['app.env', 'secret.env'])
      expect(readFileSync(path.join(outside, 'app.env'), 'utf8')).toBe('A=mine\n')
      expect(readFileSync(path.join(outside, 'secret.env'), 'utf8')).toBe('AWS_SECRET=outside-value\n')
      for (const name of ['.env', 'example.env']) {
        const file = path.join(repo, name)
        if (name !== link && existsSync(file))
          expect(readFileSync(file, 'utf8')).not.toContain('outside-value')
      }
    },
  )

  it('links that stay inside the repository are followed as before', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - dotenv: { from: example.env, to: .env }\n',
      'config/example.env': 'A=1\nB=2\n',
      'config/local.env': 'A=mine\n',
    })
    symlinkSync('config/example.env', path.join(repo, 'example.env'))
    symlinkSync('config/local.env', path.join(repo, '.env'))
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code).toBe(0)
    expect(readFileSync(path.join(repo, 'config', 'local.env'), 'utf8')).toMatch(/^A=mine\n\n?B=2\n$/)
  })
})

// git's own folder is never an env file's place: `.git/config` can set core.sshCommand, a hook
// runs at the next checkout. Refused at any depth, as written or through a link into it.
describe('dotenv never reads or writes inside .git', () => {
  const gitConfig = (repo: string) => readFileSync(path.join(repo, '.git', 'config'), 'utf8')

  it.each([
    ['to: .git/config', 'dotenv: { to: .git/config }'],
    ['to: .git/hooks/post-checkout', 'dotenv: { to: .git/hooks/post-checkout }'],
    ['from: a nested .git', 'dotenv: { from: vendor/lib/.git/config }'],
  ])('%s: refused by validate and up, .git untouched', async (_case, step) => {
    const repo = tempRepo({
      'devsetup.yml': `version: 1\nsteps:\n  - ${step}\n`,
      '.env.example': 'sshCommand=touch /tmp/pwned\n',
    })
    const before = gitConfig(repo)
    for (const command of ['validate', 'up']) {
      const result = await runCli([command], { cwd: repo })
      expect(result.code).toBe(2)
      expect(result.stdout + result.stderr).toMatch(/is inside `\.git`, git's own folder/)
    }
    expect(gitConfig(repo)).toBe(before)
    expect(existsSync(path.join(repo, '.git', 'hooks', 'post-checkout'))).toBe(false)
  })

  it('to: through a folder link into .git: refused by up, .git/config untouched', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - dotenv: { to: conf/config }\n',
      '.env.example': 'sshCommand=touch /tmp/pwned\n',
    })
    symlinkSync('.git', path.join(repo, 'conf'))
    const before = gitConfig(repo)
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code).toBe(1)
    expect(up.stdout).toMatch(/to: `conf\/config` is inside git's own folder \(\.git\/config\)/)
    expect(gitConfig(repo)).toBe(before)
  })
})
