import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { cliPath, events, runCli, tempRepo } from '../helpers.js'

const recipe = `version: 1
steps:
  - name: Config
    run: touch config.txt
    creates: config.txt
  - parallel:
      - name: Lint
        run: echo lint
        if: { ci: true }
      - name: Hooks
        run: echo hooks
        optional: true
`

describe('list, validate, schema, help', () => {
  it('list shows ids, types, titles and conditions, in order', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    const table = await runCli(['list'], { cwd: repo })
    expect(table.code).toBe(0)
    const lines = table.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^ID\s+TYPE\s+TITLE$/)
    expect(lines[1]).toMatch(/^config\s+run\s+Config$/)
    expect(lines[2]).toBe('parallel (in parallel):')
    expect(lines[3]).toMatch(/^ {2}lint\s+run\s+Lint {2}\[if on CI\]$/)
    expect(lines[4]).toMatch(/^ {2}hooks\s+run\s+Hooks {2}\[optional\]$/)
    const json = events((await runCli(['list', '--json'], { cwd: repo })).stdout)
    expect(json.map((r) => r.id)).toEqual(['config', 'lint', 'hooks'])
    expect(json[1]).toMatchObject({ group: 'parallel', type: 'run' })
  })

  it('validate: exit 0 with the step count and a warning for steps without a check', async () => {
    const result = await runCli(['validate'], { cwd: tempRepo({ 'devsetup.yml': recipe }) })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('is valid: 3 steps')
    expect(result.stderr).toMatch(/⚠ devsetup\.yml:7:9: step `lint`: has no `check`, `creates` or `inputs`/)
  })

  it('schema prints a JSON Schema that knows the step types and common keys', async () => {
    const result = await runCli(['schema'], { cwd: tempRepo() })
    expect(result.code).toBe(0)
    const schema = JSON.parse(result.stdout)
    const text = JSON.stringify(schema)
    expect(schema.title).toContain('devsetup')
    expect(schema.properties.version).toBeDefined()
    for (const key of ['"run"', '"creates"', '"inputs"', '"retries"', '"parallel"'])
      expect(text).toContain(key)
  })

  it('validate --json and list --json say in --help what they print, and print that', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    for (const command of ['validate', 'list']) {
      const help = (await runCli([command, '--help'], { cwd: repo })).stdout
      expect(help, command).not.toContain('event')
      expect(help, command).toContain('JSON object')
    }
    const validate = JSON.parse((await runCli(['validate', '--json'], { cwd: repo })).stdout)
    expect(Object.keys(validate)).toEqual(['valid', 'file', 'steps', 'warnings'])
    const rows = (await runCli(['list', '--json'], { cwd: repo })).stdout.trim().split('\n')
    expect(rows).toHaveLength(3)
    for (const row of rows) {
      const keys = Object.keys(JSON.parse(row))
      expect(keys.slice(0, 4)).toEqual(['id', 'type', 'title', 'when'])
      expect(keys.slice(4).every((key) => key === 'group')).toBe(true)
    }
  })

  it('options that do nothing on a command are not offered there', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    for (const command of ['validate', 'list', 'stop']) {
      expect((await runCli([command, '--help'], { cwd: repo })).stdout, command).not.toContain('--verbose')
      const used = await runCli([command, '--verbose'], { cwd: repo })
      expect(used.code, command).toBe(2)
      expect(used.stderr, command).toContain("unknown option '--verbose'")
    }
    expect((await runCli(['up', '--help'], { cwd: repo })).stdout).toContain('--verbose')
    expect((await runCli(['doctor', '--help'], { cwd: repo })).stdout).toContain('--verbose')
  })

  it("one error style, commander's errors too; -v prints the version; help <typo> suggests", async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    const bogus = await runCli(['doctor', '--bogus'], { cwd: repo })
    expect(bogus.code).toBe(2)
    expect(bogus.stderr).toMatch(/^devsetup: unknown option '--bogus'\n {2}hint: /)
    for (const flag of ['-v', '-V', '--version'])
      expect((await runCli([flag], { cwd: repo })).stdout.trim(), flag).toMatch(/^\d+\.\d+\.\d+$/)
    const typo = await runCli(['help', 'doctr'], { cwd: repo })
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('devsetup: unknown command `doctr`\n  hint: did you mean `doctor`?')
  })

  it('a failure report ends with what to do next', async () => {
    const repo = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - name: Build\n    id: build\n    run: exit 3\n    creates: out\n',
    })
    const failed = await runCli(['up'], { cwd: repo })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(
      /next: +fix the cause in the output above, then run `.+` \(`.+ up --only build` retries this step alone\)/,
    )
  })

  it('--help on each command shows an example and exits 0', async () => {
    for (const command of ['up', 'doctor', 'validate', 'list', 'schema']) {
      const result = await runCli([command, '--help'], { cwd: tempRepo() })
      expect(result.code, command).toBe(0)
      expect(result.stdout, command).toContain('Example')
    }
  })

  it('in a terminal, draws the listr2 tree and ends with the summary', () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    // `script` gives the CLI a real pseudo-terminal, as a developer's shell would.
    const result = spawnSync(
      'script',
      ['-qec', `stty cols 100 rows 40; ${process.execPath} ${cliPath}`, '/dev/null'],
      {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, CI: '', NO_COLOR: '1', COLUMNS: '100' },
      },
    )
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('Config — changed: ran `touch config.txt`; now config.txt exists')
    expect(result.stdout).toContain('Lint — skipped: not on CI')
    expect(result.stdout).toContain('Hooks — changed')
    expect(result.stdout).toMatch(/2 changed · 1 skipped/)
    // NO_COLOR: no green or red marks either (they used to be colored before the flag applied).
    expect(result.stdout).not.toMatch(/\u001b\[3[12]m/)
    // The plain renderer's "→ running" lines are not used in a terminal.
    expect(result.stdout).not.toContain('→ Config')
  })
})
