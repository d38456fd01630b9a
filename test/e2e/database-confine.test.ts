// A SQLite `path:` may not lead out of the repository through a folder link the repository
// ships (issue 22): devsetup would create the database file there. Refused by doctor and up,
// nothing created outside; a link that stays inside is followed as before.
import { existsSync, readdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'

const recipe = (file: string) =>
  `version: 1\nsteps:\n  - database:\n      engine: sqlite\n      path: ${file}\n`

describe('database sqlite path: confined to the repository', () => {
  it('through a linked folder outside: refused, no file created there', async () => {
    const outside = tempRepo({}, { git: false })
    const repo = tempRepo({ 'devsetup.yml': recipe('db/dev.sqlite3') })
    symlinkSync(outside, path.join(repo, 'db'))
    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toMatch(/path: `db\/dev\.sqlite3` leads outside the repository/)
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code).not.toBe(0)
    expect(up.stdout).toMatch(/path: `db\/dev\.sqlite3` leads outside the repository/)
    expect(readdirSync(outside)).toEqual([])
  })

  it('through a link that stays inside: created where the link points', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe('db/dev.sqlite3'), 'data/.keep': '' })
    symlinkSync('data', path.join(repo, 'db'))
    const up = await runCli(['up'], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(existsSync(path.join(repo, 'data', 'dev.sqlite3'))).toBe(true)
  })
})
