// The second attack on issue 22 (§3, secrets): a secret-named value glued to an option
// (`-p${DB_PASSWORD}`), a `service:` step's own URL password, a title shortened through a
// secret and a foreign port holder's command line each reached an output. Real CLI runs, a
// fake `mysql` on PATH (the command only has to fail), a real redis-server, a real foreign
// listener (node).
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fakeBin, runCli, tempRepo } from '../helpers.js'
import { services } from './service/harness.js'
import { stateFolderText } from './state-folder-text.js'

/** The CLI's stdout and stderr for each of `commands`, one text. */
async function outputs(
  repo: string,
  commands: string[][],
  env: Record<string, string> = {},
): Promise<string> {
  const results = []
  for (const args of commands) results.push(await runCli(args, { cwd: repo, env }))
  return results.flatMap((r) => [r.stdout, r.stderr]).join('\n')
}

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

describe('secrets the first masking missed', () => {
  const s = services()

  it('a secret-named value glued to an option: -p${DB_PASSWORD} shows -p***', async () => {
    const repo = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - name: Load schema
    run: mysql -uroot -p\${DB_PASSWORD} app < /dev/null
`,
    })
    const bin = path.join(repo, '..', `${path.basename(repo)}-bin`)
    fakeBin(bin, 'mysql', 'echo "mysql called with: $*"; exit 1')
    const env = { DB_PASSWORD: 'GluedPw8842zz', PATH: `${bin}:${process.env.PATH}` }
    const shown = await outputs(
      repo,
      [['up'], ['up', '--json'], ['up', '--dry-run'], ['doctor', '--report', 'junit']],
      env,
    )
    expect(shown).toContain('mysql -uroot -p*** app')
    expect(shown).toContain('mysql called with: -uroot -p*** app')
    expect(`${shown}\n${stateFolderText(repo)}`).not.toContain('GluedPw8842zz')
  })

  it("a service's own url: password is a secret, in the full up and handed on through --only", async () => {
    const repo = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - service: { engine: redis, url: "redis://:OnlyPw55xyz@127.0.0.1:${await freePort()}/0" }
  - name: show
    run: 'echo "$REDIS_URL" | cut -d: -f3; false'
`,
    })
    const env = { REDIS_URL: undefined } as unknown as Record<string, string>
    const runs = []
    for (const args of [['up'], ['up', '--only', 'show'], ['up', '--only', 'show', '--json']])
      runs.push(await s.cli(repo, args, env))
    const shown = runs.flatMap((r) => [r.stdout, r.stderr]).join('\n')
    // Handed on each time (the server answered): the step printed the password, masked.
    expect(shown.match(/\*\*\*@127\.0\.0\.1/g)?.length).toBeGreaterThanOrEqual(3)
    const state = readdirSync(s.state).map((key) => path.join(s.state, key, 'logs'))
    const logs = state
      .filter(existsSync)
      .flatMap((dir) => readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8')))
    expect(`${shown}\n${logs.join('\n')}`).not.toContain('OnlyPw55xyz')
  })

  it("a database step's password: key is a secret in every output", async () => {
    const repo = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - database: { engine: postgres, host: 127.0.0.1, port: ${await freePort()}, user: app, password: KeyPw77abc, name: app }
  - name: show
    run: 'echo "key KeyPw77abc"; false'
`,
    })
    const shown = await outputs(repo, [['up', '--only', 'show'], ['up', '--dry-run'], ['list']])
    expect(shown).toContain('key ***')
    expect(`${shown}\n${stateFolderText(repo, ['recipe.json'])}`).not.toContain('KeyPw77abc')
  })

  it('a title is masked before it is shortened: no cut leaves part of a secret', async () => {
    const token = `ghp_${'AbC'.repeat(12)}`
    const env = { DB_PASSWORD: 'PrefixLeakSecretValue123', GITHUB_TOKEN: token }
    const repo = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - run: echo bbbbbbbbbbbbbbbbbbbbbbbb \${DB_PASSWORD}
  - run: echo cccccccccccccccccccccccccccccccccccc \${GITHUB_TOKEN}
  - run: echo dddddddddddddddddddddddddddddddddddddddd\${DB_PASSWORD}
`,
    })
    const shown = await outputs(
      repo,
      [
        ['up'],
        ['up', '--json'],
        ['list'],
        ['doctor'],
        ...['html', 'junit', 'markdown'].map((f) => ['doctor', '--report', f]),
      ],
      env,
    )
    expect(shown).toContain(`Run echo ${'c'.repeat(36)} ***`)
    expect(shown).toContain(`Run echo ${'d'.repeat(40)}***`)
    const everything = `${shown}\n${stateFolderText(repo)}`
    // Any piece of either secret a cut could leave.
    for (const piece of ['Prefix', 'ghp_AbC', 'AbCAbC']) expect(everything).not.toContain(piece)
  })
})

describe("a foreign port holder's command line", () => {
  let holder: ChildProcess | undefined
  afterEach(() => holder?.kill('SIGKILL'))

  /** A foreign listener started with `args`, on a port of its own. */
  async function listen(dir: string, args: string[]): Promise<number> {
    writeFileSync(
      path.join(dir, 'h.js'),
      "const s = require('net').createServer((c) => c.end('x')); s.listen(0, '127.0.0.1', () => console.log(s.address().port))\n",
    )
    // `node h.js …`: short enough that the label's cut keeps the option.
    const child = spawn(process.execPath, ['h.js', ...args], {
      cwd: dir,
      argv0: 'node',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    holder = child
    const port = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d))))
    return Number(port.trim())
  }

  it.each([
    ['--password', 'AaSp2pass9'],
    ['-p', 'AaMy3pass9'],
    ['--requirepass', 'AaRq4pass9'],
    ['--token', 'AaTk7pass9'],
    ['--secret', 'AaSe8pass9'],
    ['--api-key', 'AaAk9pass9'],
    ['--password=', 'AaEq1pass9'],
  ])('%s is masked in the label', async (option, secret) => {
    const repo = tempRepo()
    const args = option === '-p' || option.endsWith('=') ? [`${option}${secret}`] : [option, secret]
    const port = await listen(path.dirname(repo), args)
    writeFileSync(
      path.join(repo, 'devsetup.yml'),
      `version: 1\nsteps:\n  - service: { engine: postgres, url: "postgres://app:x@127.0.0.1:${port}/app" }\n`,
    )
    const shown = await outputs(repo, [['up'], ['doctor']])
    expect(shown).toMatch(/pid \d+ \(`node h\.js/)
    expect(shown).toContain(option.endsWith('=') || option === '-p' ? `${option}***` : `${option} ***`)
    expect(shown).not.toContain(secret)
  })
})
