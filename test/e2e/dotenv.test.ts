// The dotenv step through the built CLI, on real files: a new .env is created from the
// example (0600, secrets generated), an existing one only gets the keys it lacks appended,
// and no existing byte of it ever changes.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, runCli, tempRepo } from '../helpers.js'

const example = `# App settings
APP_NAME="My App"   # shown in the title
export API_URL=http://localhost:3000

# Database
DATABASE_URL=postgres://localhost/app_dev
EMPTY=

# Rails: bin/rails secret
SECRET_KEY_BASE=change-me
`

const recipe = (step = '- dotenv: { from: .env.example, to: .env, generate: [SECRET_KEY_BASE] }') =>
  `version: 1\nsteps:\n  ${step}\n`

function stepEnd(stdout: string) {
  return events(stdout).find((e) => e.event === 'step:end') as { status: string; reason: string }
}

describe('dotenv step', () => {
  it('creates .env from the example with mode 0600 and a generated secret, then is ok', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe(), '.env.example': example })
    const first = await runCli(['up', '--json'], { cwd: dir })
    expect(first.code, first.stderr).toBe(0)
    expect(stepEnd(first.stdout)).toMatchObject({ status: 'changed' })
    expect(stepEnd(first.stdout).reason).toContain(
      'created .env from .env.example (5 keys; generated SECRET_KEY_BASE)',
    )

    const env = readFileSync(path.join(dir, '.env'), 'utf8')
    const secret = /^SECRET_KEY_BASE=([0-9a-f]{128})$/m.exec(env)
    expect(secret).not.toBeNull()
    expect(env).toBe(example.replace('SECRET_KEY_BASE=change-me', `SECRET_KEY_BASE=${secret![1]}`))
    expect(statSync(path.join(dir, '.env')).mode & 0o777).toBe(0o600)
    expect(first.stdout).not.toContain(secret![1]) // the secret is never printed

    const second = await runCli(['up'], { cwd: dir })
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('ok: .env has all 5 keys of .env.example')
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toBe(env)
  })

  it('appends only the missing keys with their comments, never changing an existing line', async () => {
    const existing =
      '# my local overrides\r\nAPP_NAME=\'Mine\'\r\nDATABASE_URL="postgres://me@db/app" # custom\r\nSECRET_KEY_BASE=keep-me\r\nLOCAL_ONLY=1'
    const dir = tempRepo({ 'devsetup.yml': recipe(), '.env.example': example, '.env': existing })
    chmodSync(path.join(dir, '.env'), 0o640)

    const check = await runCli(['doctor'], { cwd: dir })
    expect(check.code).toBe(1)
    expect(check.stdout).toContain('.env lacks API_URL, EMPTY')

    const result = await runCli(['up', '--json'], { cwd: dir })
    expect(result.code, result.stderr).toBe(0)
    expect(stepEnd(result.stdout)).toMatchObject({
      status: 'changed',
      reason: 'added API_URL, EMPTY to .env',
    })
    const after = readFileSync(path.join(dir, '.env'), 'utf8')
    expect(after.startsWith(existing)).toBe(true) // every existing byte in place
    expect(after.slice(existing.length)).toBe('\r\n\r\nexport API_URL=http://localhost:3000\r\nEMPTY=\r\n')
    expect(statSync(path.join(dir, '.env')).mode & 0o777).toBe(0o640)
    expect((await runCli(['up'], { cwd: dir })).stdout).toContain('ok: .env has all 5 keys')
  })

  it('generates a secret for a missing generated key, but never replaces an existing empty one', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('- dotenv: { generate: [SECRET_KEY_BASE, JWT_SECRET] }'),
      '.env.example': example,
      '.env': 'APP_NAME=x\nAPI_URL=y\nDATABASE_URL=z\nEMPTY=\nSECRET_KEY_BASE=\n',
    })
    const result = await runCli(['up'], { cwd: dir })
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain('added JWT_SECRET to .env; generated JWT_SECRET')
    const env = readFileSync(path.join(dir, '.env'), 'utf8')
    expect(env).toMatch(/\nSECRET_KEY_BASE=\n\nJWT_SECRET=[0-9a-f]{128}\n$/)
  })

  it('works as a bare step with the default files, and with a string naming the example', async () => {
    const bare = tempRepo({ 'devsetup.yml': recipe('- dotenv'), '.env.example': 'A=1\n' })
    expect((await runCli(['up'], { cwd: bare })).code).toBe(0)
    expect(readFileSync(path.join(bare, '.env'), 'utf8')).toBe('A=1\n')

    const named = tempRepo({
      'devsetup.yml': recipe('- dotenv: config/env.sample'),
      'config/env.sample': 'B=2\n',
    })
    expect((await runCli(['up'], { cwd: named })).code).toBe(0)
    expect(readFileSync(path.join(named, '.env'), 'utf8')).toBe('B=2\n')
  })

  it('fails with a clear reason when the example is missing, and creates nothing', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe() })
    const result = await runCli(['up'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('failed: .env.example not found')
    expect(existsSync(path.join(dir, '.env'))).toBe(false)
  })

  it('rejects paths outside the repository and to == from as recipe errors with a position', async () => {
    const dir = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - dotenv: { from: ../secrets.env, to: /etc/app.env }\n  - dotenv: { from: .env, to: ./.env }\n',
    })
    const result = await runCli(['validate'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/devsetup\.yml:3:\d+: `from`: must be a path inside the repository/)
    expect(result.stderr).toMatch(/devsetup\.yml:3:\d+: `to`: must be a path inside the repository/)
    expect(result.stderr).toMatch(/devsetup\.yml:4:\d+: `to`: `to` must differ from `from`/)
  })

  it('suggests the right key for a typo', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe('- dotenv: { form: .env.example }') })
    const result = await runCli(['validate'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown key `form`')
    expect(result.stderr).toContain('from')
  })

  it('does not touch a target that has every key, whatever its values', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe('- dotenv'), '.env.example': 'A=1\nB=2\n' })
    writeFileSync(path.join(dir, '.env'), 'B=changed\nA=\n')
    const before = statSync(path.join(dir, '.env')).mtimeMs
    const result = await runCli(['up', '--force'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toBe('B=changed\nA=\n')
    expect(statSync(path.join(dir, '.env')).mtimeMs).toBe(before)
  })
})
