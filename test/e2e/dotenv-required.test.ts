// The dotenv step's `required:` through the built CLI, on real files: a required key emptied in
// .env is red (naming the key, its file:line and the example's value) and `up` fills it with that
// value; an empty key not listed stays as the person left it; a value is never changed; a key
// nothing can fill is a clear error; the recipe's mistakes are errors with a position.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'

const example = `# Database
MYSQL_HOST=db
MYSQL_DATABASE=app_dev
# Empty turns the mailer off
MAIL_HOST=smtp.example.test
API_URL=
`

const recipe = (config: string) => `version: 1\nsteps:\n  - dotenv: ${config}\n`

describe('dotenv required:', () => {
  it('an emptied required key is red, up fills it with the example value; an emptied unlisted key stays', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('{ required: [MYSQL_DATABASE, MYSQL_HOST], set: { MYSQL_HOST: 127.0.0.1 } }'),
      '.env.example': example,
    })
    const first = await runCli(['up'], { cwd: dir })
    expect(first.code, first.stdout).toBe(0)
    const env = readFileSync(path.join(dir, '.env'), 'utf8')
    expect(env).toContain('MYSQL_HOST=127.0.0.1\nMYSQL_DATABASE=app_dev\n')

    // A person empties the database name (and the mailer, on purpose), with CRLF on one line.
    const emptied = env
      .replace('MYSQL_DATABASE=app_dev\n', 'MYSQL_DATABASE=\r\n')
      .replace('MAIL_HOST=smtp.example.test', 'MAIL_HOST=')
      .replace('MYSQL_HOST=127.0.0.1', 'MYSQL_HOST=')
    writeFileSync(path.join(dir, '.env'), emptied)
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code).toBe(1)
    expect(red.stdout).toContain(
      '.env:3 has an empty MYSQL_DATABASE, which `required:` lists; .env.example:3 gives MYSQL_DATABASE=app_dev',
    )
    // A `set:` value is what a new .env got: it fills the key, not the example's compose host.
    expect(red.stdout).toContain(
      '.env:2 has an empty MYSQL_HOST, which `required:` lists; `set:` gives MYSQL_HOST=127.0.0.1',
    )
    expect(red.stdout).not.toContain('MAIL_HOST')

    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout).toBe(0)
    expect(up.stdout).toContain('filled the empty MYSQL_HOST in .env with its value from `set:`')
    expect(up.stdout).toContain('filled the empty MYSQL_DATABASE in .env with its value from .env.example:3')
    // Every other byte as it was: the CRLF, the mailer left empty.
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toBe(
      emptied
        .replace('MYSQL_DATABASE=\r\n', 'MYSQL_DATABASE=app_dev\r\n')
        .replace('MYSQL_HOST=\n', 'MYSQL_HOST=127.0.0.1\n'),
    )
    const green = await runCli(['doctor'], { cwd: dir })
    expect(green.code, green.stdout).toBe(0)

    // Any value is the person's: never replaced, never red.
    writeFileSync(
      path.join(dir, '.env'),
      emptied
        .replace('MYSQL_DATABASE=\r\n', 'MYSQL_DATABASE=mine\r\n')
        .replace('MYSQL_HOST=\n', 'MYSQL_HOST=h\n'),
    )
    const kept = await runCli(['up'], { cwd: dir })
    expect(kept.code, kept.stdout).toBe(0)
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toContain('MYSQL_HOST=h\nMYSQL_DATABASE=mine\r\n')
  })

  it('a required key with no value anywhere is a clear error naming what to set', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('{ required: API_URL }'),
      '.env.example': example,
      '.env': example,
    })
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code).toBe(1)
    expect(red.stdout).toContain(
      '.env:6 has an empty API_URL, which `required:` lists; .env.example leaves it empty too and no `set:` gives it',
    )
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code).toBe(1)
    expect(up.stdout + up.stderr).toContain('set API_URL in .env: devsetup has no value for it')
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toBe(example)
  })

  it('a required key the example lacks and nothing gives is an error before anything is written', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('{ required: [MYSQL_DATABSE, MYSQL_HOST] }'),
      '.env.example': example,
    })
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code).toBe(1)
    expect(red.stdout).toContain(
      '`required:` lists MYSQL_DATABSE, which .env.example does not define and neither `set:` nor `generate:` gives',
    )
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code).toBe(1)
    expect(up.stdout + up.stderr).toContain('remove MYSQL_DATABSE from `required:`')
    expect(() => readFileSync(path.join(dir, '.env'))).toThrow()
  })

  it('schema: a key that is no variable name, and an unknown key, are errors with a position', async () => {
    const dir = tempRepo({
      'devsetup.yml': `version: 1\nsteps:\n  - dotenv:\n      required: [OK_KEY, "not a key"]\n  - dotenv:\n      from: b.example\n      to: b.env\n      requird: [A]\n`,
    })
    const result = await runCli(['validate'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/devsetup\.yml:4:\d+: .*not a variable name/)
    expect(result.stderr).toMatch(/devsetup\.yml:8:\d+: .*unknown key `requird`.*required/s)
  })
})
