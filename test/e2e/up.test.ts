import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { events, runCli, stateDirOf, tempRepo } from '../helpers.js'

const recipe = `version: 1
steps:
  - name: Config
    run: cp config.example config.txt
    creates: config.txt
  - name: Assets
    run: cat src/*.css > app.css && echo "built app.css"
    inputs: [src/*.css]
  - name: Folders
    id: dirs
    run: mkdir -p log tmp
    creates: [log, tmp]
`
const files = { 'devsetup.yml': recipe, 'config.example': 'debug=true\n', 'src/a.css': 'a{}\n' }

describe('devsetup up', () => {
  let repo: string
  beforeAll(() => {
    repo = tempRepo(files)
  })

  it('first run changes every unmet step; second run changes nothing and says so', async () => {
    const first = await runCli([], { cwd: repo })
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(
      '✔ Config — changed: ran `cp config.example config.txt`; now config.txt exists',
    )
    expect(first.stdout).toContain(
      '✔ Assets — changed: ran `cat src/*.css > app.css && echo "built app.css"`; inputs recorded',
    )
    expect(first.stdout).toMatch(/3 changed/)
    expect(readFileSync(path.join(repo, 'app.css'), 'utf8')).toBe('a{}\n')

    const second = await runCli([], { cwd: repo })
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('✔ Config — ok: config.txt exists')
    expect(second.stdout).toContain('✔ Assets — ok: inputs unchanged')
    expect(second.stdout).toContain('everything already set up, nothing changed')
    expect(second.stdout).not.toContain('running')
  })

  it("keeps its state outside the repository, in the user's state folder keyed by the repository", async () => {
    const state = JSON.parse(readFileSync(path.join(stateDirOf(repo), 'state.json'), 'utf8'))
    expect(state.steps.assets.data.inputs).toMatch(/^[0-9a-f]{64}$/)
    expect(state.runs.length).toBeGreaterThanOrEqual(2)
    // The first run's log (it ran commands); the no-op second run logged nothing, so made no file.
    expect(readdirSync(path.join(stateDirOf(repo), 'logs'))).toHaveLength(1)
    expect(path.basename(stateDirOf(repo))).toMatch(new RegExp(`^${path.basename(repo)}-[0-9a-f]{12}$`))
    expect(existsSync(path.join(repo, '.devsetup'))).toBe(false)
    expect(
      existsSync(path.join(repo, '.git', 'info', 'exclude'))
        ? readFileSync(path.join(repo, '.git', 'info', 'exclude'), 'utf8')
        : '',
    ).not.toContain('devsetup')
  })

  it('no-op runs leave no log, so they never push out the log of the run that failed', async () => {
    const flaky = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - { name: Flaky, run: "echo boom-in-the-log; exit 1", creates: done.txt }\n',
    })
    const failed = await runCli([], { cwd: flaky })
    expect(failed.code).toBe(1)
    writeFileSync(path.join(flaky, 'done.txt'), '')
    for (let i = 0; i < 11; i++) expect((await runCli([], { cwd: flaky })).code).toBe(0)
    const logs = readdirSync(path.join(stateDirOf(flaky), 'logs'))
    expect(logs).toHaveLength(1)
    expect(readFileSync(path.join(stateDirOf(flaky), 'logs', logs[0]!), 'utf8')).toContain('boom-in-the-log')
  })

  it('repairs exactly what is broken', async () => {
    rmSync(path.join(repo, 'config.txt'))
    writeFileSync(path.join(repo, 'src', 'b.css'), 'b{}\n')
    const result = await runCli(['--json'], { cwd: repo })
    expect(result.code).toBe(0)
    const ends = events(result.stdout).filter((e) => e.event === 'step:end')
    expect(ends.map((e) => [e.step, e.status])).toEqual([
      ['config', 'changed'],
      ['assets', 'changed'],
      ['dirs', 'ok'],
    ])
    const runs = events(result.stdout).filter((e) => e.event === 'step:run')
    expect(runs[1]).toMatchObject({ step: 'assets', reason: 'src/*.css changed since the last run' })
    expect(ends[1]!.reason).toMatch(/^ran `cat src/)
    expect(typeof ends[0]!.durationMs).toBe('number')
    expect(events(result.stdout).at(-1)).toMatchObject({ event: 'summary', status: 'ok' })
  })

  it('--dry-run shows what would run and changes nothing', async () => {
    const dry = tempRepo(files)
    const result = await runCli(['--dry-run'], { cwd: dry })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('→ Config — would run: config.txt missing')
    expect(existsSync(path.join(dry, 'config.txt'))).toBe(false)
    expect(existsSync(stateDirOf(dry))).toBe(false)
  })

  it('--only and --skip pick steps; an unknown id is a usage error with a suggestion', async () => {
    const fresh = tempRepo(files)
    const only = await runCli(['--only', 'dirs'], { cwd: fresh })
    expect(only.stdout).toContain('↓ Config — skipped: not selected (--only)')
    expect(existsSync(path.join(fresh, 'log'))).toBe(true)
    expect(existsSync(path.join(fresh, 'config.txt'))).toBe(false)

    const bad = await runCli(['--only', 'dir'], { cwd: fresh })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--only: no step has the id `dir`')
    expect(bad.stderr).toContain('did you mean `dirs`?')
  })

  it('a failing command: exit 1, the command, its exit code, the tail of its output and the log path', async () => {
    const failing = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - name: Migrate
    run: |
      for i in $(seq 1 30); do echo "line $i"; done
      echo "boom: table missing" >&2
      exit 3
    check: test -f migrated
  - name: Later
    run: touch later
    creates: later
`,
    })
    const result = await runCli([], { cwd: failing })
    expect(result.code).toBe(1)
    // A multi-line script is named by the line that failed: one line per event in plain output.
    expect(result.stdout).toContain('✖ Migrate — failed: `exit 3` (line 3 of the script) exited with code 3')
    expect(result.stdout).toContain('○ Later — not run: an earlier step failed')
    expect(result.stderr).toContain('exit code: 3')
    expect(result.stderr).toContain('last 20 lines of output:')
    expect(result.stderr).toContain('│ boom: table missing')
    expect(result.stderr).not.toContain('│ line 10\n')
    const logPath = /full log: {2}(\S+)/.exec(result.stderr)![1]!
    const log = readFileSync(path.resolve(failing, logPath), 'utf8')
    expect(log).toContain('[migrate] line 1\n')
    expect(log).toContain('[migrate] boom: table missing')
    expect(existsSync(path.join(failing, 'later'))).toBe(false)
  })

  it('masks URL passwords in streamed output, the failure report and the log', async () => {
    const repo = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - run: echo "connecting to mysql://root:hunter22@localhost/app"; exit 1\n    check: "false"\n',
    })
    const result = await runCli(['--verbose'], { cwd: repo })
    expect(result.code).toBe(1)
    expect(result.stdout + result.stderr).toContain('mysql://root:***@localhost/app')
    expect(result.stdout + result.stderr).not.toContain('hunter22')
    const logs = path.join(stateDirOf(repo), 'logs')
    const log = readFileSync(path.join(logs, readdirSync(logs)[0]!), 'utf8')
    expect(log).toContain('root:***@')
    expect(log).not.toContain('hunter22')
  })

  it('creates: counts a symbolic link as existing', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - run: ln -s /nonexistent bin-link\n    creates: bin-link\n',
    })
    expect((await runCli([], { cwd: repo })).stdout).toContain('changed')
    expect((await runCli([], { cwd: repo })).stdout).toContain('ok: bin-link exists')
  })

  it('--verbose streams command output lines', async () => {
    const verbose = tempRepo(files)
    const result = await runCli(['--verbose'], { cwd: verbose })
    expect(result.stdout).toContain('│ built app.css')
  })

  it('a corrupt state file is set aside with a warning and rebuilt', async () => {
    const corrupt = tempRepo(files)
    await runCli([], { cwd: corrupt })
    writeFileSync(path.join(stateDirOf(corrupt), 'state.json'), '{ not json')
    const result = await runCli([], { cwd: corrupt })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('was unreadable')
    expect(result.stdout).toContain('→ Assets — running: never run here')
    expect(JSON.parse(readFileSync(path.join(stateDirOf(corrupt), 'state.json'), 'utf8')).version).toBe(1)
    expect(existsSync(path.join(stateDirOf(corrupt), 'state.json.corrupt'))).toBe(true)
  })

  it('stops with a clear error when the state folder cannot be made, and writes nothing into the repository', async () => {
    const repo = tempRepo({
      'ci/devsetup.yml': 'version: 1\nsteps:\n  - run: touch made\n    creates: made\n',
      'not-a-folder': 'a file',
    })
    const env = { DEVSETUP_STATE_DIR: path.join(repo, 'not-a-folder') }
    const run = await runCli(['--recipe', 'ci/devsetup.yml'], { cwd: repo, env })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/cannot create \S*not-a-folder\S*: ENOTDIR/)
    expect(run.stderr).toContain('DEVSETUP_STATE_DIR')
    expect(existsSync(path.join(repo, 'ci', '.devsetup'))).toBe(false)
    expect(existsSync(path.join(repo, 'made'))).toBe(false)
    const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: repo,
      encoding: 'utf8',
    })
    expect(status.stdout.trim().split('\n').sort()).toEqual(['?? ci/devsetup.yml', '?? not-a-folder'])
  })

  it('finds the recipe from a subfolder, and --recipe overrides', async () => {
    const nested = tempRepo({ ...files, 'sub/dir/.keep': '', 'other.yml': 'version: 1\nsteps: []\n' })
    const fromSub = await runCli(['list'], { cwd: path.join(nested, 'sub', 'dir') })
    expect(fromSub.stdout).toContain('dirs')
    const other = await runCli(['list', '--recipe', 'other.yml'], { cwd: nested })
    expect(other.stdout).not.toMatch(/\bdirs\b/)
  })
})

describe('recipe and usage errors', () => {
  it('no recipe: exit 2 and points at init', async () => {
    const empty = tempRepo()
    const result = await runCli([], { cwd: empty })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`no devsetup.yml found in ${empty} or its parents`)
    expect(result.stderr).toContain('devsetup init')
  })

  it('a bad recipe: exit 2, file:line:col, the line with a caret, no stack trace', async () => {
    const bad = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: make\n    creats: build\n' })
    const result = await runCli(['validate'], { cwd: bad })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('devsetup.yml:4:5: unknown key `creats` in a `run` step')
    expect(result.stderr).toContain('  4 |     creats: build\n          ^')
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/)
  })

  it('an unknown command option is a usage error', async () => {
    const result = await runCli(['--frce'], { cwd: tempRepo(files) })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("unknown option '--frce'")
  })
})
