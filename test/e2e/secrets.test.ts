// No secret reaches any output (issue 22 §3): a token, a secret-named variable and a URL's
// password, interpolated into a step's name and command, are masked on the terminal, in
// --json, in the run log, in the HTML, JUnit and Markdown reports and in the state folder
// (state.json, recipe.json); a plain-word password is masked where it stands as a value, and
// nowhere else. Control characters from the recipe are shown escaped, never sent raw.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'
import { stateFolderText } from './state-folder-text.js'

// Built here so that no token-shaped literal sits in the repository's own source.
const token = `ghp_${'Ab3'.repeat(12)}`
const namedSecret = 'Plain-Secret-42'
const plainPassword = 'devsetup'
// A name that does not say secret: its plain-word value is masked in the URL only.
const env = { GH_TOKEN: token, API_SECRET: namedSecret, DB_PW: plainPassword }

const recipe = `version: 1
steps:
  - name: "Publish with \${GH_TOKEN}"
    id: publish
    run: echo "pushing with \${GH_TOKEN}"; echo "API_SECRET=\${API_SECRET} in use"; echo "db devsetup-api ready"; touch published
    creates: published
  - name: "Migrate postgres://app:\${DB_PW}@localhost/app"
    id: migrate
    run: echo "secret is \${API_SECRET}"; echo "at postgres://app:\${DB_PW}@localhost/app"; exit 3
    check: echo "checking with \${GH_TOKEN}"; false
`

function expectNoSecret(text: string): void {
  // Any run of the token's letters, in any case (a step's id is made from its name, lowercased).
  expect(text.toLowerCase()).not.toContain(token.slice(4, 16).toLowerCase())
  expect(text).not.toContain(token)
  expect(text).not.toContain(namedSecret)
  expect(text).not.toContain(`app:${plainPassword}@`)
}

describe('secrets are masked in every output', () => {
  it('terminal, --json, run log, reports, state.json and recipe.json', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    const verbose = await runCli(['up', '--verbose'], { cwd: repo, env })
    expect(verbose.code).toBe(1)
    const json = await runCli(['up', '--json'], { cwd: repo, env })
    const doctor = await runCli(['doctor', '--report', 'r.html', '--report', 'r.xml', '--report', 'r.md'], {
      cwd: repo,
      env,
    })
    const dryRun = await runCli(['up', '--dry-run', '--json'], { cwd: repo, env })
    const shown = [verbose, json, doctor, dryRun].flatMap((r) => [r.stdout, r.stderr]).join('\n')
    // The steps ran and were shown: the masks stand where the values were.
    // A plain word used as a URL's password, in a variable whose name does not say secret, is
    // masked in the URL, not inside other text (the last).
    const masked = [
      'Publish with ***',
      'pushing with ***',
      'API_SECRET=*** in use',
      'secret is ***',
      'postgres://app:***@localhost/app',
      'db devsetup-api ready',
    ]
    for (const line of masked) expect(shown).toContain(line)
    expectNoSecret(shown)
    const reports = ['r.html', 'r.xml', 'r.md'].map((file) => readFileSync(path.join(repo, file), 'utf8'))
    expect(reports.join('\n')).toContain('Publish with ***')
    expectNoSecret(reports.join('\n'))
    expect(readdirSync(stateDirOf(repo))).toEqual(
      expect.arrayContaining(['recipe.json', 'state.json', 'logs']),
    )
    const state = stateFolderText(repo)
    expect(state).toContain('Publish with ***')
    expectNoSecret(state)
    // The cache still serves: the next run takes the recipe from it and runs the same commands.
    const again = await runCli(['up', '--verbose'], { cwd: repo, env })
    expect(again.stdout).toContain('secret is ***')
    expectNoSecret(again.stdout + again.stderr + stateFolderText(repo))
  })

  it("a URL's password on its own, and a secret-named value of any characters, are masked wherever they stand", async () => {
    const repo = tempRepo({
      'devsetup.yml': `version: 1
env:
  DATABASE_URL: postgres://app:Pw9uRlPass@127.0.0.1:1/x
  ADMIN_URL: postgres://postgres:postgres@127.0.0.1:1/x
steps:
  - name: deploy \${APP_SECRET} \${SHORT_TOKEN}
    run: node -e "console.log('password:', new URL(process.env.DATABASE_URL).password, decodeURIComponent(new URL(process.env.CACHE_URL).password))"; echo "secret $APP_SECRET short $SHORT_TOKEN"; echo "postgres ready, parallel false"; exit 3
    check: test -f never-\${APP_SECRET}
`,
    })
    const secretEnv = {
      APP_SECRET: 'correcthorsebatterystaple',
      SHORT_TOKEN: 'Ab1x9',
      // From the process environment; the program prints the password decoded.
      CACHE_URL: 'redis://:Rd1s%40Passw0rd@127.0.0.1:1/0',
      // A flag under a secret-looking name: `false` stays readable everywhere.
      TOKENIZERS_PARALLELISM: 'false',
    }
    const verbose = await runCli(['up', '--verbose'], { cwd: repo, env: secretEnv })
    expect(verbose.code).toBe(1)
    const json = await runCli(['up', '--json'], { cwd: repo, env: secretEnv })
    const doctor = await runCli(['doctor', '--report', 'r.html'], { cwd: repo, env: secretEnv })
    const shown = [verbose, json, doctor].flatMap((r) => [r.stdout, r.stderr]).join('\n')
    const outputs = `${shown}\n${readFileSync(path.join(repo, 'r.html'), 'utf8')}`
    const everything = `${outputs}\n${stateFolderText(repo)}`
    expect(shown).toContain('password: *** ***')
    expect(shown).toContain('secret *** short ***')
    expect(shown).toContain('deploy *** ***')
    expect(shown).toContain('test -f never-***')
    // Common words as a non-secret URL's password, or a flag's value, do not garble the output.
    expect(shown).toContain('postgres ready, parallel false')
    for (const secret of ['Rd1s@Passw0rd', 'Rd1s%40Passw0rd', 'correcthorsebatterystaple', 'ab1x9'])
      expect(everything.toLowerCase()).not.toContain(secret.toLowerCase())
    // The recipe's own text (the cache in the state folder keeps it) is the repository's file: outputs only.
    expect(outputs).not.toContain('Pw9uRlPass')
  })

  it('up --dry-run masks a URL password in the commands it would run', async () => {
    const repo = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - run: psql postgres://app:hunter22@localhost/app -c "select 1"\n',
    })
    for (const args of [
      ['up', '--dry-run'],
      ['up', '--dry-run', '--json'],
    ]) {
      const result = await runCli(args, { cwd: repo })
      expect(result.stdout).toContain('postgres://app:***@localhost/app')
      expect(result.stdout + result.stderr).not.toContain('hunter22')
    }
  })
})

describe('control characters from the recipe are shown escaped', () => {
  // YAML's own escapes: the recipe holds the real ESC and BEL characters once parsed.
  const hostile = `version: 1
steps:
  - name: "\\e]0;pwned\\a\\e[2Jcleared"
    run: "true"
    check: "false"
  - run: "true"
    creates: "\\e]0;made\\a"
  - run: "true"
    if: { env: { NOPE: "\\e]0;cond\\a" } }
`

  it.each([
    ['up', []],
    ['up', ['--no-color']],
    ['doctor', []],
    ['doctor', ['--no-color']],
    ['list', []],
    ['list', ['--no-color']],
    ['up', ['--json']],
  ])('%s %s', async (command, flags) => {
    const repo = tempRepo({ 'devsetup.yml': hostile })
    const result = await runCli([command, ...flags], { cwd: repo, env: { NO_COLOR: '', FORCE_COLOR: '1' } })
    const out = result.stdout + result.stderr
    expect(out).not.toContain('\u001b]0;')
    expect(out).not.toContain('\u0007')
    expect(out).not.toContain('\u001b[2J')
    expect(out).toContain(
      command === 'up' && flags[0] === '--json' ? '\\\\e]0;pwned' : '\\e]0;pwned\\x07\\e[2Jcleared',
    )
  })
})
