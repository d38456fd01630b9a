// `--only` still gives the selected steps what the earlier steps it leaves out hand on: a
// runtime's bin folder first on PATH (devsetup's fake-`n` install: a real download cannot run
// here), a service's URL (a real redis-server). Those steps are checked, never run.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, fakeBin, runCli, tempRepo } from '../helpers.js'
import { services } from './service/harness.js'

/** The machine's own node (20 here) and a major no machine here has: what the fake `n` installs. */
const systemMajor = Number(process.versions.node.split('.')[0])
const wanted = systemMajor + 3

/** Like n: `n install 23` puts a node into $HOME/n/versions, `n which 23` prints its path. */
function fakeN(bin: string) {
  fakeBin(
    bin,
    'n',
    `dir="$HOME/n/versions/node/$2.7.0"
case "$1" in
  install) mkdir -p "$dir/bin"; printf '#!/bin/sh\\necho v%s.7.0\\n' "$2" > "$dir/bin/node"; chmod +x "$dir/bin/node" ;;
  which) [ -x "$dir/bin/node" ] || exit 1; echo "$dir/bin/node" ;;
  *) exit 2 ;;
esac`,
  )
}

/** Its own HOME and only the system's programs plus `extra` on PATH: no real version manager. */
function machine(home: string, extra: string[] = []): Record<string, string | undefined> {
  return {
    HOME: home,
    PATH: [...extra, '/usr/bin', '/bin'].join(':'),
    NVM_DIR: undefined,
    VOLTA_HOME: undefined,
    DEVSETUP_CACHE_DIR: undefined,
    XDG_CACHE_HOME: undefined,
  }
}

const read = (repo: string, file: string) => readFileSync(path.join(repo, file), 'utf8').trim()

describe('--only: the earlier runtime step left out still hands on its PATH', () => {
  const recipe = `version: 1
steps:
  - runtime: node
  - name: record node
    run: node --version > seen.txt
    creates: seen.txt
  - name: sees new node
    run: exit 1
    check: node --version | grep -q v${wanted}
`

  it('up --only and doctor --only see the node devsetup installed; an unmet runtime is said on the selected step', async () => {
    const repo = tempRepo({ '.nvmrc': `${wanted}\n`, 'devsetup.yml': recipe })
    const home = path.join(repo, '.home')
    const bin = path.join(home, 'bin')
    fakeN(bin)
    const env = machine(home, [bin])

    // Not installed yet: the selected step runs (with the machine's node), and says what is missing.
    const early = await runCli(['up', '--only', 'record-node'], { cwd: repo, env })
    expect(early.code).toBe(0)
    expect(read(repo, 'seen.txt')).toBe(`v${process.versions.node}`)
    expect(early.stdout).toMatch(
      /↓ node \(version from the repository\) — skipped: not selected \(--only\); checked for what it hands on: unmet: node [\d.]+ found/,
    )
    expect(early.stdout).toContain(
      `✔ record node — changed: ran \`node --version > seen.txt\`; now seen.txt exists (left out by --only and unmet: runtime (node ${process.versions.node} found, .nvmrc wants ${wanted})`,
    )
    expect(early.stdout).toContain('`devsetup up --only runtime,record-node` includes it')
    // Checked, never run: the left-out runtime step installed nothing.
    expect(existsSync(path.join(home, 'n'))).toBe(false)

    const full = await runCli(['up'], { cwd: repo, env })
    expect(full.code).toBe(0)
    expect(full.stdout).toContain(`changed: node ${wanted}.7.0 via n`)

    // What the walk did (docs/steps/dependencies.md): --force --only on a step after the runtime.
    rmSync(path.join(repo, 'seen.txt'))
    const only = await runCli(['up', '--force', '--only', 'record-node'], { cwd: repo, env })
    expect(only.code).toBe(0)
    expect(read(repo, 'seen.txt')).toBe(`v${wanted}.7.0`)
    expect(only.stdout).toContain(
      '↓ node (version from the repository) — skipped: not selected (--only); checked for what it hands on: PATH',
    )
    expect(only.stdout).not.toContain('left out by --only and unmet')

    const doctor = await runCli(['doctor', '--only', 'sees-new-node'], { cwd: repo, env })
    expect(doctor.stdout).toContain('✔ sees new node — ok: check passed')
    expect(doctor.code).toBe(0)
    // The same with --json: the left-out step stays `skipped`, its reason names what it handed on.
    const json = await runCli(['doctor', '--only', 'sees-new-node', '--json'], { cwd: repo, env })
    const ends = events(json.stdout).filter((e) => e.event === 'step:end')
    expect(ends.map((e) => [e.step, e.status])).toEqual([
      ['runtime', 'skipped'],
      ['record-node', 'skipped'],
      ['sees-new-node', 'ok'],
    ])
    expect(ends[1]?.reason).toBe('not selected (--only)')
  })
})

describe('--only: the earlier service step left out still hands on its URL', () => {
  const s = services()

  it('a step after `service: redis` sees the REDIS_URL devsetup made, with --only too', async () => {
    const repo = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - service: redis
  - name: record url
    run: echo "$REDIS_URL" > url.txt
    creates: url.txt
`,
    })
    const env = { REDIS_URL: undefined } as unknown as Record<string, string>
    const full = await s.cli(repo, ['up'], env)
    expect(full.code).toBe(0)
    const url = read(repo, 'url.txt')
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+/)

    rmSync(path.join(repo, 'url.txt'))
    const only = await s.cli(repo, ['up', '--only', 'record-url'], env)
    expect(only.code).toBe(0)
    expect(read(repo, 'url.txt')).toBe(url)
    expect(only.stdout).toContain('checked for what it hands on: REDIS_URL')
    // The URL itself is not shown: a recipe's URL may carry a password.
    expect(only.stdout).not.toContain(url)
  })
})

describe('--only: which left-out steps are checked', () => {
  it('the ones before a selected step, in an earlier item; never run; none after it or beside it', async () => {
    const repo = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - name: before
    run: touch ran-before
    check: touch checked-before && false
  - parallel:
      - name: beside
        run: touch ran-beside
        check: touch checked-beside && false
      - name: chosen
        run: touch chosen.txt
        creates: chosen.txt
  - name: after
    run: touch ran-after
    check: touch checked-after && false
`,
    })
    const result = await runCli(['up', '--only', 'chosen'], { cwd: repo })
    expect(result.code).toBe(0)
    expect(existsSync(path.join(repo, 'checked-before'))).toBe(true)
    for (const file of ['ran-before', 'checked-beside', 'ran-beside', 'checked-after', 'ran-after'])
      expect(existsSync(path.join(repo, file)), file).toBe(false)
    expect(result.stdout).toContain(
      '(left out by --only and unmet: before (check `touch checked-before && false` exited 1)',
    )
    expect(result.stdout).toContain('↓ after — skipped: not selected (--only)\n')

    // A step --skip names is left alone, --only or not.
    rmSync(path.join(repo, 'checked-before'))
    rmSync(path.join(repo, 'chosen.txt'))
    const skipped = await runCli(['up', '--only', 'chosen', '--skip', 'before'], { cwd: repo })
    expect(skipped.code).toBe(0)
    expect(existsSync(path.join(repo, 'checked-before'))).toBe(false)
    expect(skipped.stdout).not.toContain('left out by --only')
  })
})
