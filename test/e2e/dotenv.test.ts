// The dotenv step through the built CLI, on real files: a new .env is created from the
// example (0600, secrets generated), an existing one only gets the keys it lacks appended,
// and no existing byte of it ever changes.
import {
  chmodSync,
  chownSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { type CliResult, events, nobody, runCli, tempRepo } from '../helpers.js'

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

  it('generates a secret for a missing generated key and fills an empty one, saying so; a value is never replaced', async () => {
    const before =
      'APP_NAME=x\r\nAPI_URL=y\nDATABASE_URL=z\nEMPTY=\nSECRET_KEY_BASE=\nexport OTHER_SECRET=kept\n'
    const dir = tempRepo({
      'devsetup.yml': recipe('- dotenv: { generate: [SECRET_KEY_BASE, JWT_SECRET, OTHER_SECRET] }'),
      '.env.example': `${example}OTHER_SECRET=\n`,
      '.env': before,
    })
    // An empty secret the app requires fails it at boot: doctor must not be green over it.
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain('lacks JWT_SECRET')
    const result = await runCli(['up'], { cwd: dir })
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain(
      'added JWT_SECRET to .env; generated JWT_SECRET; filled the empty SECRET_KEY_BASE in .env with a generated secret',
    )
    const env = readFileSync(path.join(dir, '.env'), 'utf8')
    // Every other byte as it was (the CRLF of the first line too, whose style the appendix takes);
    // OTHER_SECRET keeps its value.
    expect(env).toMatch(
      /^APP_NAME=x\r\nAPI_URL=y\nDATABASE_URL=z\nEMPTY=\nSECRET_KEY_BASE=[0-9a-f]{128}\nexport OTHER_SECRET=kept\n\r\nJWT_SECRET=[0-9a-f]{128}\r\n$/,
    )
    const again = await runCli(['doctor'], { cwd: dir })
    expect(again.code, again.stdout).toBe(0)
    // Emptied again by hand: red, naming it, until up fills it.
    writeFileSync(path.join(dir, '.env'), env.replace(/SECRET_KEY_BASE=[0-9a-f]+/, 'SECRET_KEY_BASE='))
    const red = await runCli(['doctor'], { cwd: dir })
    expect(red.code).toBe(1)
    expect(red.stdout).toContain('has an empty SECRET_KEY_BASE, which `generate:` fills')
  })

  it("set: writes values for this machine into a new file and appended keys, never over a person's value", async () => {
    const step =
      '- dotenv: { from: env-example-relational, set: { DATABASE_HOST: 127.0.0.1, MAIL_HOST: localhost, NOTE: "a b#c" } }'
    const fresh = tempRepo({
      'devsetup.yml': recipe(step),
      'env-example-relational': '# db\nDATABASE_HOST=postgres\nDATABASE_PORT=5432\nMAIL_HOST=maildev\n',
    })
    const created = await runCli(['up'], { cwd: fresh })
    expect(created.code, created.stdout).toBe(0)
    expect(readFileSync(path.join(fresh, '.env'), 'utf8')).toBe(
      '# db\nDATABASE_HOST=127.0.0.1\nDATABASE_PORT=5432\nMAIL_HOST=localhost\nNOTE="a b#c"\n',
    )

    // A person's DATABASE_HOST stays; the missing MAIL_HOST is appended with the set value.
    const mine = 'DATABASE_HOST=db.internal\nDATABASE_PORT=6543\nNOTE=x\n'
    const kept = tempRepo({
      'devsetup.yml': recipe(step),
      'env-example-relational': 'DATABASE_HOST=postgres\nDATABASE_PORT=5432\nMAIL_HOST=maildev\n',
      '.env': mine,
    })
    const appended = await runCli(['up'], { cwd: kept })
    expect(appended.code, appended.stdout).toBe(0)
    expect(readFileSync(path.join(kept, '.env'), 'utf8')).toBe(`${mine}\nMAIL_HOST=localhost\n`)
    const again = await runCli(['doctor'], { cwd: kept })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(
      'kept your DATABASE_HOST=db.internal (recipe: 127.0.0.1), NOTE=x (recipe: a b#c)',
    )
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

  it('does not touch a target that has every key, whatever its values; a forced run is no change', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('- dotenv\n  - restart: { touch: restart.txt }'),
      '.env.example': 'A=1\nB=2\n',
    })
    writeFileSync(path.join(dir, '.env'), 'B=changed\nA=\n')
    const before = statSync(path.join(dir, '.env')).mtimeMs
    const result = await runCli(['up', '--force', '--only', 'dotenv'], { cwd: dir })
    expect(result.code).toBe(0)
    // --force found nothing to add: `ok`, and the restart, which follows changes, sees none.
    expect(result.stdout).toMatch(/✔ .*— ok: forced \(--force\), nothing to change: \.env already complete/)
    const next = await runCli(['up'], { cwd: dir })
    expect(next.stdout).toMatch(/Restart .*— ok/)
    expect(existsSync(path.join(dir, 'restart.txt'))).toBe(false)
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toBe('B=changed\nA=\n')
    expect(statSync(path.join(dir, '.env')).mtimeMs).toBe(before)
  })

  // The promise: an existing .env value is never changed or overridden by a later definition.
  describe('never overrides an existing value', () => {
    const up = async (files: Record<string, string>, env: string) => {
      const dir = tempRepo({ 'devsetup.yml': recipe('- dotenv'), ...files })
      writeFileSync(path.join(dir, '.env'), env)
      const result = await runCli(['up', '--json'], { cwd: dir })
      return { dir, result, after: readFileSync(path.join(dir, '.env'), 'utf8') }
    }

    it('reads a value ending in a backslash-quote the way dotenv does and appends nothing', async () => {
      const env = 'WIN_DIR="C:\\Users\\me\\"\nSECRET_KEY=my-real-secret\nAPP_NAME="demo"\n'
      const { result, after } = await up(
        { '.env.example': 'WIN_DIR=\nSECRET_KEY=changeme\nAPP_NAME=app\n' },
        env,
      )
      expect(result.code, result.stdout).toBe(0)
      expect(stepEnd(result.stdout)).toMatchObject({ status: 'ok' })
      expect(after).toBe(env)
    })

    it('appends after a never-closed quote once, and is ok on the next run', async () => {
      const { dir, result, after } = await up(
        { '.env.example': 'API_URL=http://localhost\nGREETING="hello world"\n' },
        'API_URL="https://x\n',
      )
      expect(result.code, result.stdout).toBe(0)
      expect(stepEnd(result.stdout)).toMatchObject({ status: 'changed', reason: 'added GREETING to .env' })
      expect(after).toBe('API_URL="https://x\n\nGREETING="hello world"\n')
      const again = await runCli(['up'], { cwd: dir })
      expect(again.stdout).toContain('ok: .env has all 2 keys')
      expect(readFileSync(path.join(dir, '.env'), 'utf8')).toBe(after)
    })

    it('counts `KEY: value` as a definition, like dotenv', async () => {
      const env = 'DB_PASS: mysecret\n'
      const { result, after } = await up({ '.env.example': 'DB_PASS=example\n' }, env)
      expect(stepEnd(result.stdout)).toMatchObject({ status: 'ok' })
      expect(after).toBe(env)
    })

    it('refuses to append a key that a line it cannot read seems to define, naming key and line', async () => {
      const env = '# mine\nA="first line\nSECRET_KEY=mine\n"\nDB_PASS:mysecret\n'
      const { dir, result, after } = await up(
        { '.env.example': 'A=\nSECRET_KEY=changeme\nDB_PASS=example\nNEW=1\n' },
        env,
      )
      expect(result.code).toBe(1)
      expect(stepEnd(result.stdout)).toMatchObject({ status: 'failed' })
      const reason = stepEnd(result.stdout).reason
      expect(reason).toContain('.env line 3 defines SECRET_KEY')
      expect(reason).toContain('line 5 defines DB_PASS')
      expect(reason).toContain('in a form devsetup cannot read; fix them by hand')
      // The safe key is still added; the others never are.
      expect(after).toBe(`${env}\nNEW=1\n`)
      const doctor = await runCli(['doctor'], { cwd: dir })
      expect(doctor.stdout).toContain('.env line 3 defines SECRET_KEY')
      expect((await runCli(['up'], { cwd: dir })).code).toBe(1)
      expect(readFileSync(path.join(dir, '.env'), 'utf8')).toBe(after)
    })

    it('appends nothing when the appended lines would close a quote left open in .env', async () => {
      // dotenv 16 reads A as "abc\n\nNOTE=say \"hi\" once NOTE is appended: A would change.
      const env = 'A="abc\n'
      const { result, after } = await up({ '.env.example': 'A=\nNOTE=say \\"hi\\"\n' }, env)
      expect(result.code).toBe(1)
      expect(stepEnd(result.stdout).reason).toContain(
        'cannot add NOTE to .env: appending would change how A is read',
      )
      expect(after).toBe(env)
    })

    it('keeps CR-only line endings and sees every CR-separated key', async () => {
      const { result, after } = await up({ '.env.example': 'A=1\nB=2\nC=3\n' }, 'A=1\rB=mine\r')
      expect(stepEnd(result.stdout)).toMatchObject({ status: 'changed', reason: 'added C to .env' })
      expect(after).toBe('A=1\rB=mine\r\rC=3\r')
    })
  })

  it('says where a .env symlink points when its target does not exist, and creates nothing', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe('- dotenv'), '.env.example': 'A=1\n' })
    // Inside the repository: one that leads outside is refused as such (dotenv-confine.test.ts).
    symlinkSync('shared/app.env', path.join(dir, '.env'))
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.stdout).toContain('.env is a link to shared/app.env, which does not exist')
    const result = await runCli(['up'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('failed: .env is a link to shared/app.env, which does not exist')
    expect(result.stdout).not.toContain('EEXIST')
    expect(existsSync(path.join(dir, '.env'))).toBe(false)
  })

  it('says a read-only .env is not writable and how to fix it', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe('- dotenv'), '.env.example': 'A=1\nB=2\n' })
    writeFileSync(path.join(dir, '.env'), 'A=mine\n')
    chmodSync(path.join(dir, '.env'), 0o444)
    const result = await upAsOwnerWithoutRoot(dir)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('failed: .env is not writable')
    expect(result.stdout).toContain('chmod u+w .env')
    expect(result.stdout).not.toContain('EACCES')
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toBe('A=mine\n')
  })
})

/**
 * `devsetup up` run by the owner of `dir`. Root ignores file modes, so as root the
 * repository is handed to `nobody` and devsetup runs as `nobody`: a 0444 file is then
 * read-only for it, as it is for a developer.
 */
function upAsOwnerWithoutRoot(dir: string): Promise<CliResult> {
  if (process.getuid?.() !== 0) return runCli(['up'], { cwd: dir })
  const chownTree = (p: string): void => {
    chownSync(p, nobody, nobody)
    if (statSync(p).isDirectory()) for (const name of readdirSync(p)) chownTree(path.join(p, name))
  }
  chownTree(dir)
  return runCli(['up'], { cwd: dir, env: { HOME: dir }, asNobody: true })
}
