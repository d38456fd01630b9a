// The runtime step end to end: the built CLI against the machine's real node, python3, git and
// pyenv; fake mise and nvm (they download runtimes from the internet) as executables on PATH.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { events, fakeBin, runCli, stateDirOf, tempRepo, writeFiles } from '../helpers.js'

// A PATH with the system's tools only: no pyenv shims, no version manager unless a test adds one.
const systemPath = '/usr/bin:/bin'

function versionOf(command: string, args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, PATH: systemPath, ...env },
  })
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(`${result.stdout}${result.stderr}`)
  if (!match) throw new Error(`cannot read the version of ${command}`)
  return match[0]
}

let node: string
let python: string
let git: string
beforeAll(() => {
  node = versionOf('node', ['--version'])
  python = versionOf('python3', ['--version'])
  git = versionOf('git', ['--version'])
})
const major = (v: string) => Number(v.split('.')[0])
const minor = (v: string) => Number(v.split('.')[1])

/** An isolated environment: its own HOME (no ~/.nvm, no ~/.local/bin/mise), the system PATH. */
function isolated(home: string, extraPath: string[] = []): Record<string, string | undefined> {
  return {
    HOME: home,
    PATH: [...extraPath, systemPath].join(':'),
    NVM_DIR: undefined,
    PYENV_ROOT: undefined,
    PYENV_VERSION: undefined,
    ASDF_DIR: undefined,
    VOLTA_HOME: undefined,
    DEVSETUP_CACHE_DIR: undefined,
    XDG_CACHE_HOME: undefined,
  }
}

/**
 * Nor can devsetup install node itself (that needs a HOME or DEVSETUP_CACHE_DIR for its cache):
 * the machine where a runtime step can only fail. runtime-self-install.test.ts covers the rest.
 */
function noInstaller(home: string): Record<string, string | undefined> {
  return { ...isolated(home), HOME: undefined }
}

function recipe(steps: string): string {
  return `version: 1\nsteps:\n${steps}`
}

function stepEnds(stdout: string) {
  return events(stdout).filter((e) => e.event === 'step:end')
}

describe('runtime: the machine’s real binaries', () => {
  it('node from .nvmrc: met when the major matches, with the exact version in the reason', async () => {
    const repo = tempRepo({ '.nvmrc': `${major(node)}\n`, 'devsetup.yml': recipe('  - runtime: node\n') })
    const result = await runCli(['doctor'], { cwd: repo, env: isolated(repo) })
    expect(result.stdout).toContain(`node ${node} (.nvmrc wants ${major(node)})`)
    expect(result.code).toBe(0)
  })

  it('node from .nvmrc: unmet on another major; `up` without any installer names the install command', async () => {
    const wanted = major(node) + 2
    const repo = tempRepo({ '.nvmrc': `v${wanted}.1.0\n`, 'devsetup.yml': recipe('  - runtime: node\n') })
    const doctor = await runCli(['doctor'], { cwd: repo, env: noInstaller(repo) })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain(`node ${node} found, .nvmrc wants v${wanted}.1.0`)
    // The repository-local pin, never `mise use -g` (a global default devsetup never changes).
    expect(doctor.stdout).toContain(`then in this repository: mise use node@${wanted}.1.0`)
    expect(doctor.stdout).not.toMatch(/ -g\b/)

    const up = await runCli(['up', '--json'], { cwd: repo, env: noInstaller(repo) })
    expect(up.code).toBe(1)
    const [end] = stepEnds(up.stdout)
    expect(end).toMatchObject({ status: 'failed' })
    expect(end!.reason).toContain(
      'no version manager found for node (looked for mise, asdf, fnm, nvm, volta, n), and devsetup cannot install it itself: that needs npm on PATH and a HOME (or DEVSETUP_CACHE_DIR)',
    )
    expect(end!.reason).toContain('curl https://mise.run | sh')
  })

  it('a commented range in .nvmrc: the manager is asked for a line that satisfies it', async () => {
    const wanted = major(node) + 2
    const repo = tempRepo({
      '.nvmrc': `~${wanted}.5.1 # pinned by ops\n`,
      'package.json': '{ "engines": { "node": ">=18" } }\n',
      'devsetup.yml': recipe('  - runtime: node\n  - runtime: { name: node, version: file:package.json }\n'),
    })
    const doctor = await runCli(['doctor', '--json'], { cwd: repo, env: noInstaller(repo) })
    const [nvmrc, engines] = stepEnds(doctor.stdout)
    expect(nvmrc).toMatchObject({
      status: 'unmet',
      reason: `node ${node} found, .nvmrc wants ~${wanted}.5.1`,
      fix: `install mise (curl https://mise.run | sh), then in this repository: mise use node@${wanted}.5`,
    })
    // >=18 is met by this machine's node; had it not been, the newest LTS line would be installed.
    expect(engines).toMatchObject({ status: 'ok', reason: `node ${node} (package.json wants >=18)` })
  })

  it('`version:` in the recipe overrides the version file', async () => {
    const repo = tempRepo({
      '.nvmrc': '99.0.0\n',
      'devsetup.yml': recipe(`  - runtime: { name: node, version: "^${major(node)}" }\n`),
    })
    const result = await runCli(['doctor'], { cwd: repo, env: isolated(repo) })
    expect(result.stdout).toContain(`node ${node} (the recipe wants ^${major(node)})`)
    expect(result.code).toBe(0)
  })

  it('optional: true turns an unmet runtime into a warning and the run goes on', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe(
        `  - runtime: { name: node, version: "${major(node) + 1}" }\n    optional: true\n` +
          '  - name: after\n    run: touch after.txt\n    creates: after.txt\n',
      ),
    })
    const result = await runCli(['up', '--json'], { cwd: repo, env: noInstaller(repo) })
    const [runtime, after] = stepEnds(result.stdout)
    expect(runtime).toMatchObject({ status: 'warned' })
    expect(after).toMatchObject({ status: 'changed' })
    expect(existsSync(path.join(repo, 'after.txt'))).toBe(true)
    expect(result.code).toBe(0)
  })

  it('python3 against a matching and a non-matching range', async () => {
    const matching = `>=${major(python)}.${minor(python)} <${major(python)}.${minor(python) + 1}`
    const other = `${major(python)}.${minor(python) + 1}`
    const repo = tempRepo({
      'devsetup.yml': recipe(
        `  - runtime: { name: python, version: "${matching}" }\n` +
          `  - runtime: { name: python, version: "${other}" }\n`,
      ),
    })
    const result = await runCli(['doctor', '--json'], { cwd: repo, env: isolated(repo) })
    const [ok, unmet] = stepEnds(result.stdout)
    expect(ok).toMatchObject({ status: 'ok', reason: `python ${python} (the recipe wants ${matching})` })
    expect(unmet).toMatchObject({
      status: 'unmet',
      reason: `python ${python} found, the recipe wants ${other}`,
    })
  })

  it('git: a tool devsetup checks but does not install', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe(
        `  - runtime: { name: git, version: ">=${major(git)}" }\n` +
          `  - runtime: { name: git, version: ">${git}" }\n`,
      ),
    })
    const doctor = await runCli(['doctor', '--json'], { cwd: repo, env: isolated(repo) })
    const [ok, unmet] = stepEnds(doctor.stdout)
    expect(ok).toMatchObject({ status: 'ok', reason: `git ${git} (the recipe wants >=${major(git)})` })
    expect(unmet).toMatchObject({ status: 'unmet', reason: `git ${git} found, the recipe wants >${git}` })
    const up = await runCli(['up', '--json'], { cwd: repo, env: isolated(repo) })
    expect(stepEnds(up.stdout)[1]!.reason).toContain('devsetup does not install git')
  })

  it('an unparseable version file is a check failure naming the file and line', async () => {
    const repo = tempRepo({
      '.python-version': '# pinned\nmy-virtualenv\n',
      'devsetup.yml': recipe('  - runtime: python\n'),
    })
    const result = await runCli(['doctor'], { cwd: repo, env: isolated(repo) })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('.python-version:2: `my-virtualenv`: not a version')
  })

  it('an unparseable version in the recipe is a recipe error at its line and column', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe('  - runtime: node\n  - runtime: { name: python, version: "three" }\n'),
    })
    const result = await runCli(['validate'], { cwd: repo, env: isolated(repo) })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('devsetup.yml:4:39: `version`: not a version')
  })
})

/**
 * Like mise: `install node@22` puts a node into its installs folder, `where` prints that folder.
 * Every call is appended to $HOME/mise-calls.log.
 */
function fakeMise(bin: string) {
  fakeBin(
    bin,
    'mise',
    `echo "$*" >> "$HOME/mise-calls.log"
tool="\${2%@*}"; v="\${2#*@}"; dir="$HOME/.local/share/mise/installs/$tool/$v.9.0"
case "$1" in
  install) mkdir -p "$dir/bin"; printf '#!/bin/sh\\necho v%s.9.0\\n' "$v" > "$dir/bin/node"; chmod +x "$dir/bin/node"
           echo "mise $tool@$v.9.0 ✓ installed" >&2 ;;
  where) [ -d "$dir" ] || { echo "mise ERROR $tool@$v is not installed" >&2; exit 1; }; echo "$dir" ;;
  *) echo "mise: unknown command $1" >&2; exit 2 ;;
esac`,
  )
}

describe('runtime: installing with a version manager, then the next steps use it', () => {
  const nodeSteps = (wanted: number) =>
    recipe(
      '  - runtime: node\n' +
        `  - name: sees new node\n    run: exit 1\n    check: node --version | grep -q v${wanted}\n` +
        '  - name: record node\n    run: node --version > seen.txt\n    creates: seen.txt\n',
    )

  it('mise (fake): installs, puts `mise where`/bin first on PATH, the following step sees it', async () => {
    const wanted = major(node) + 2
    const repo = tempRepo({ '.nvmrc': `${wanted}\n`, 'devsetup.yml': nodeSteps(wanted) })
    const home = path.join(repo, '.home')
    const bin = path.join(home, 'bin')
    fakeMise(bin)
    const result = await runCli(['up', '--verbose'], { cwd: repo, env: isolated(home, [bin]) })
    expect(result.stdout).toContain(`node ${wanted}.9.0 via mise (.nvmrc wants ${wanted})`)
    expect(result.stdout).toContain('restart your shell, or run: eval "$(mise activate bash)"')
    expect(result.stdout).toContain('✔ sees new node — ok: check passed')
    expect(result.code).toBe(0)
    expect(readFileSync(path.join(repo, 'seen.txt'), 'utf8').trim()).toBe(`v${wanted}.9.0`)
    const state = JSON.parse(readFileSync(path.join(stateDirOf(repo), 'state.json'), 'utf8'))
    expect(JSON.stringify(state)).toContain(`"version":"${wanted}.9.0"`)
  })

  it('a no-op re-run: run 2 finds the node devsetup installed, is ok, and does not restart the app', async () => {
    const wanted = major(node) + 2
    const repo = tempRepo({
      '.nvmrc': `${wanted}\n`,
      'devsetup.yml': recipe(
        '  - runtime: node\n' +
          `  - name: sees new node\n    run: exit 1\n    check: node --version | grep -q v${wanted}\n` +
          '  - restart: { touch: tmp/restart.txt }\n',
      ),
    })
    const home = path.join(repo, '.home')
    const bin = path.join(home, 'bin')
    fakeMise(bin)
    const env = isolated(home, [bin])
    const first = await runCli(['up'], { cwd: repo, env })
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(
      `✔ node (version from the repository) — changed: node ${wanted}.9.0 via mise`,
    )
    expect(readFileSync(path.join(home, 'mise-calls.log'), 'utf8')).toContain(`install node@${wanted}`)
    const restartFile = path.join(repo, 'tmp', 'restart.txt')
    const touchedAt = statSync(restartFile).mtimeMs

    const second = await runCli(['up'], { cwd: repo, env })
    expect(second.code).toBe(0)
    expect(second.stdout).toContain(
      `✔ node (version from the repository) — ok: node ${wanted}.9.0 (installed by devsetup; your shell still has ${node}: restart your shell, or run: eval "$(mise activate bash)"`,
    )
    expect(second.stdout).toContain('✔ sees new node — ok: check passed')
    expect(second.stdout).toContain('— ok: nothing changed')
    expect(statSync(restartFile).mtimeMs).toBe(touchedAt)
    const calls = readFileSync(path.join(home, 'mise-calls.log'), 'utf8').trim().split('\n')
    expect(calls.filter((c) => c.startsWith('install'))).toHaveLength(1)

    // Another version wanted: the recorded install no longer satisfies, so the step installs again.
    writeFiles(repo, { '.nvmrc': `${wanted + 2}\n` })
    const third = await runCli(['up'], { cwd: repo, env })
    expect(third.stdout).toContain(`changed: node ${wanted + 2}.9.0 via mise`)
  })

  it('nvm (fake nvm.sh, a shell function sourced in bash): the following step sees the new node', async () => {
    const wanted = major(node) + 2
    const repo = tempRepo({ '.nvmrc': `${wanted}\n`, 'devsetup.yml': nodeSteps(wanted) })
    const home = path.join(repo, '.home')
    mkdirSync(path.join(home, '.nvm'), { recursive: true })
    writeFiles(home, {
      '.nvm/nvm.sh': `nvm() {
  dir="$NVM_DIR/versions/node/v$2.4.1"
  case "$1" in
    install) mkdir -p "$dir/bin"; printf '#!/bin/sh\\necho v%s.4.1\\n' "$2" > "$dir/bin/node"; chmod +x "$dir/bin/node"
             echo "Now using node v$2.4.1" ;;
    which) [ -x "$dir/bin/node" ] || return 1; echo "$dir/bin/node" ;;
  esac
}
`,
    })
    const result = await runCli(['up'], { cwd: repo, env: isolated(home) })
    expect(result.stdout).toContain(
      `node ${wanted}.4.1 via nvm (.nvmrc wants ${wanted}); later steps use it; for your own shell: restart your shell, or run: nvm use ${wanted}`,
    )
    expect(result.code).toBe(0)
    expect(readFileSync(path.join(repo, 'seen.txt'), 'utf8').trim()).toBe(`v${wanted}.4.1`)
  })

  const pyenvRoot = process.env.PYENV_ROOT ?? path.join(process.env.HOME ?? '/root', '.pyenv')
  const pyenvInstalled = existsSync(path.join(pyenvRoot, 'bin', 'pyenv'))
  it.skipIf(!pyenvInstalled)(
    'pyenv (real): picks an installed python for the spec, the next step runs it',
    async () => {
      const listed = spawnSync(path.join(pyenvRoot, 'bin', 'pyenv'), ['versions', '--bare'], {
        encoding: 'utf8',
        env: { ...process.env, PYENV_ROOT: pyenvRoot },
      }).stdout
      const other = listed
        .split('\n')
        .map((v) => v.trim())
        .find(
          (v) => /^3\.\d+\.\d+$/.test(v) && `${major(v)}.${minor(v)}` !== `${major(python)}.${minor(python)}`,
        )
      expect(other, 'pyenv has another python 3 installed').toBeDefined()
      const line = `${major(other!)}.${minor(other!)}`
      const repo = tempRepo({
        'devsetup.yml': recipe(
          `  - runtime: { name: python, version: "${line}" }\n` +
            `  - name: sees new python\n    run: exit 1\n    check: python3 --version | grep -q ${other}\n` +
            '  - name: record python\n    run: python3 --version > seen.txt\n    creates: seen.txt\n',
        ),
      })
      const env = { ...isolated(repo, [path.join(pyenvRoot, 'bin')]), PYENV_ROOT: pyenvRoot }
      const result = await runCli(['up'], { cwd: repo, env })
      expect(result.stdout).toContain(`python ${other} via pyenv (the recipe wants ${line})`)
      expect(result.code).toBe(0)
      expect(readFileSync(path.join(repo, 'seen.txt'), 'utf8').trim()).toBe(`Python ${other}`)
    },
  )
})
