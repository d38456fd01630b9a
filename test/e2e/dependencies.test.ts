// The `dependencies` step end to end: the built CLI, real npm and pip installs of local
// packages (offline), real cargo; fake executables only for managers this machine lacks.
import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { events, fakeBin, runCli, stateDirOf, tempRepo, writeFiles } from '../helpers.js'

const which = (name: string) =>
  spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()
const realNpm = which('npm')
const hasCargo = which('cargo') !== ''
const recipe = (steps: string) => `version: 1\nsteps:\n${steps}\n`

let tarballs: string

/** Packs tiny local packages with the real `npm pack`: what the fixtures install, offline. */
beforeAll(() => {
  tarballs = tempRepo({}, { git: false })
  for (const name of ['tiny-a', 'tiny-b']) {
    const src = tempRepo(
      {
        'package.json': JSON.stringify({ name, version: '1.0.0', main: 'index.js' }),
        'index.js': `module.exports = '${name}'\n`,
      },
      { git: false },
    )
    const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', tarballs], {
      cwd: src,
      encoding: 'utf8',
    })
    expect(packed.status, packed.stderr).toBe(0)
  }
})

/** A repository depending on tiny-a (a file: tarball), with npm wrapped to log its invocations. */
function npmRepo(deps: Record<string, string> = { 'tiny-a': 'file:vendor/tiny-a-1.0.0.tgz' }) {
  const dir = tempRepo({
    'devsetup.yml': recipe('  - dependencies'),
    'package.json': JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps }, null, 2),
  })
  writeFiles(dir, { 'vendor/.keep': '' })
  for (const file of readdirSync(tarballs))
    copyFileSync(path.join(tarballs, file), path.join(dir, 'vendor', file))
  const bin = path.join(dir, '.fakebin')
  const log = path.join(dir, 'npm-calls.log')
  fakeBin(bin, 'npm', `echo "npm $*" >> '${log}'\nexec '${realNpm}' "$@"`)
  const env = {
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  }
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [])
  return { dir, env, calls }
}

function stepEnd(stdout: string) {
  const end = events(stdout).find((e) => e.event === 'step:end')
  expect(end, stdout).toBeDefined()
  return end as { status: string; reason: string }
}

/**
 * The commands a run started, from its log (every exec, checks included, is logged there); the
 * summary names the log, and a run that logged nothing has none (src/engine/run-log.ts).
 */
function commandsLogged(stdout: string, dir: string): string[] {
  const summary = events(stdout).find((e) => e.event === 'summary') as { log?: string } | undefined
  expect(summary, stdout).toBeDefined()
  if (summary?.log === undefined) return []
  return readFileSync(path.join(stateDirOf(dir), 'logs', path.basename(summary.log)), 'utf8')
    .split('\n')
    .filter((line) => /^\[[^\]]+\] \$ /.test(line))
}

describe('dependencies with real npm', () => {
  it('installs, then skips without starting any process, and runs again when the lockfile changes', async () => {
    const { dir, env, calls } = npmRepo()
    const first = await runCli(['up', '--json'], { cwd: dir, env })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(stepEnd(first.stdout)).toMatchObject({ status: 'changed' })
    expect(stepEnd(first.stdout).reason).toMatch(/^npm install: added 1 package/)
    expect(readFileSync(path.join(dir, 'node_modules/tiny-a/index.js'), 'utf8')).toContain('tiny-a')
    expect(existsSync(path.join(dir, 'package-lock.json'))).toBe(true)
    expect(calls()).toEqual(['npm install'])

    const second = await runCli(['up', '--json'], { cwd: dir, env })
    expect(second.code).toBe(0)
    expect(stepEnd(second.stdout)).toMatchObject({
      status: 'ok',
      reason: 'package-lock.json unchanged since last install, node_modules intact',
    })
    expect(calls()).toEqual(['npm install'])
    expect(commandsLogged(second.stdout, dir)).toEqual([])

    // A lockfile edit (same packages, different bytes) must run the frozen install again.
    const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'))
    writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 4))
    const doctor = await runCli(['doctor'], { cwd: dir, env })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain('package-lock.json changed since last install')
    expect(doctor.stdout).toContain('npm ci')
    const third = await runCli(['up', '--json'], { cwd: dir, env })
    expect(third.code).toBe(0)
    expect(events(third.stdout).find((e) => e.event === 'step:run')).toMatchObject({
      reason: 'package-lock.json changed since last install',
    })
    expect(calls()).toEqual(['npm install', 'npm ci'])
  })

  it('repairs a deleted node_modules and a deleted package folder', async () => {
    const { dir, env, calls } = npmRepo()
    expect((await runCli(['up'], { cwd: dir, env })).code).toBe(0)

    rmSync(path.join(dir, 'node_modules'), { recursive: true })
    const missing = await runCli(['up', '--json'], { cwd: dir, env })
    expect(events(missing.stdout).find((e) => e.event === 'step:run')).toMatchObject({
      reason: 'node_modules missing',
    })
    expect(stepEnd(missing.stdout).status).toBe('changed')
    expect(existsSync(path.join(dir, 'node_modules/tiny-a/index.js'))).toBe(true)

    rmSync(path.join(dir, 'node_modules/tiny-a'), { recursive: true })
    const incomplete = await runCli(['up', '--json'], { cwd: dir, env })
    expect(events(incomplete.stdout).find((e) => e.event === 'step:run')).toMatchObject({
      reason: 'node_modules incomplete (node_modules/tiny-a missing)',
    })
    expect(existsSync(path.join(dir, 'node_modules/tiny-a/index.js'))).toBe(true)
    expect(calls()).toEqual(['npm install', 'npm ci', 'npm ci'])
  })

  it('reports a lockfile out of sync with package.json, with the command that fixes it', async () => {
    const { dir, env } = npmRepo()
    expect((await runCli(['up'], { cwd: dir, env })).code).toBe(0)
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
    pkg.dependencies['tiny-b'] = 'file:vendor/tiny-b-1.0.0.tgz'
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg))

    const result = await runCli(['up'], { cwd: dir, env })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      'failed: package-lock.json is out of sync with package.json: run `npm install` to update package-lock.json, then commit it',
    )
    // The manager's own words are in the tail the engine prints.
    expect(result.stdout + result.stderr).toMatch(
      /npm ci.* can only install packages when your package\.json/,
    )
  })

  it('installs again when .npmrc appears or changes (it decides what npm installs)', async () => {
    const { dir, env } = npmRepo()
    expect((await runCli(['up'], { cwd: dir, env })).code).toBe(0)
    writeFileSync(path.join(dir, '.npmrc'), 'omit=dev\n')
    const doctor = await runCli(['doctor', '--json'], { cwd: dir, env })
    expect(doctor.code).toBe(1)
    expect(stepEnd(doctor.stdout)).toMatchObject({
      status: 'unmet',
      reason: '.npmrc changed since last install',
    })
    expect(stepEnd((await runCli(['up', '--json'], { cwd: dir, env })).stdout).status).toBe('changed')
    expect(stepEnd((await runCli(['up', '--json'], { cwd: dir, env })).stdout).status).toBe('ok')
  })

  it("a failed install's reason is npm's own first error line", async () => {
    const { dir, env } = npmRepo({ 'tiny-a': 'file:vendor/no-such-package.tgz' })
    const result = await runCli(['up', '--json'], { cwd: dir, env })
    expect(result.code).toBe(1)
    const end = stepEnd(result.stdout)
    expect(end.status).toBe('failed')
    expect(end.reason).toMatch(/^npm error /)
    expect(end.reason).not.toMatch(/exited with code|^npm error code /)
  })
})

/** A wheel made by hand (a zip with metadata): pip installs it with --no-index, no setuptools needed. */
function buildWheel(into: string): void {
  const script = `
import zipfile, sys
name = sys.argv[1] + '/tinypkg-1.0-py3-none-any.whl'
files = {
  'tinypkg/__init__.py': 'VALUE = 42\\n',
  'tinypkg-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\\nName: tinypkg\\nVersion: 1.0\\n',
  'tinypkg-1.0.dist-info/WHEEL': 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
}
with zipfile.ZipFile(name, 'w') as z:
  for path, text in files.items(): z.writestr(path, text)
  z.writestr('tinypkg-1.0.dist-info/RECORD', ''.join(p + ',,\\n' for p in files) + 'tinypkg-1.0.dist-info/RECORD,,\\n')
`
  const made = spawnSync('python3', ['-c', script, into], { encoding: 'utf8' })
  expect(made.status, made.stderr).toBe(0)
}

describe('dependencies with real pip', () => {
  it('creates .venv, installs the requirements file, skips, re-runs on change and repairs a deleted venv', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe(
        '  - dependencies: { manager: pip, cwd: api, requirements: requirements-dev.txt }',
      ),
      'api/requirements-dev.txt': 'tinypkg==1.0\n',
    })
    const wheels = tempRepo({}, { git: false })
    buildWheel(wheels)
    const env = { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels }
    const python = path.join(dir, 'api/.venv/bin/python')

    const first = await runCli(['up', '--json'], { cwd: dir, env })
    expect(first.code, first.stdout).toBe(0)
    expect(stepEnd(first.stdout)).toMatchObject({ status: 'changed' })
    expect(stepEnd(first.stdout).reason).toMatch(
      /pip install .*-r requirements-dev.txt: Successfully installed tinypkg-1.0/,
    )
    expect(
      spawnSync(python, ['-c', 'import tinypkg; print(tinypkg.VALUE)'], { encoding: 'utf8' }).stdout.trim(),
    ).toBe('42')

    const second = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(second.stdout)).toMatchObject({
      status: 'ok',
      reason: 'requirements-dev.txt unchanged since last install, .venv intact',
    })
    expect(commandsLogged(second.stdout, dir)).toEqual([])

    writeFileSync(path.join(dir, 'api/requirements-dev.txt'), 'tinypkg==1.0  # pinned\n')
    const third = await runCli(['up', '--json'], { cwd: dir, env })
    expect(events(third.stdout).find((e) => e.event === 'step:run')).toMatchObject({
      reason: 'requirements-dev.txt changed since last install',
    })
    // The venv was working: it is kept, only pip runs.
    expect(commandsLogged(third.stdout, dir).some((line) => line.includes('-m venv'))).toBe(false)

    rmSync(path.join(dir, 'api/.venv'), { recursive: true })
    const fourth = await runCli(['up', '--json'], { cwd: dir, env })
    expect(events(fourth.stdout).find((e) => e.event === 'step:run')).toMatchObject({
      reason: '.venv missing',
    })
    expect(stepEnd(fourth.stdout).status).toBe('changed')
    expect(existsSync(python)).toBe(true)
  })

  it('follows -r / -c includes into the fingerprint, relative to the including file', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('  - dependencies'),
      'requirements.txt': '-r reqs/base.txt\n',
      'reqs/base.txt': '--constraint ../constraints.txt\ntinypkg\n',
      'constraints.txt': 'tinypkg==1.0\n',
    })
    const wheels = tempRepo({}, { git: false })
    buildWheel(wheels)
    const env = { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels }
    const first = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(first.stdout), first.stdout).toMatchObject({ status: 'changed' })
    expect(stepEnd((await runCli(['up', '--json'], { cwd: dir, env })).stdout).status).toBe('ok')

    writeFileSync(path.join(dir, 'constraints.txt'), 'tinypkg>=1.0\n')
    const constraint = await runCli(['up', '--json'], { cwd: dir, env })
    expect(events(constraint.stdout).find((e) => e.event === 'step:run')).toMatchObject({
      reason: 'constraints.txt changed since last install',
    })
    writeFileSync(
      path.join(dir, 'reqs/base.txt'),
      '-c ../constraints.txt\ntinypkg  # pinned by constraints\n',
    )
    const base = await runCli(['up', '--json'], { cwd: dir, env })
    expect(events(base.stdout).find((e) => e.event === 'step:run')).toMatchObject({
      reason: `${path.join('reqs', 'base.txt')} changed since last install`,
    })
    expect(stepEnd(base.stdout).status).toBe('changed')
  })

  it('makes the venv afresh when its lib folder is gone, or another python3 is on PATH', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe('  - dependencies'), 'requirements.txt': 'tinypkg==1.0\n' })
    const wheels = tempRepo({}, { git: false })
    buildWheel(wheels)
    const env = { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels }
    const python = path.join(dir, '.venv/bin/python')
    const imports = () =>
      spawnSync(python, ['-c', 'import tinypkg; print(tinypkg.VALUE)'], { encoding: 'utf8' }).stdout.trim()
    expect(stepEnd((await runCli(['up', '--json'], { cwd: dir, env })).stdout).status).toBe('changed')

    // bin/python still runs, but pip and the packages went with lib/.
    rmSync(path.join(dir, '.venv/lib'), { recursive: true })
    const broken = await runCli(['up', '--json'], { cwd: dir, env })
    expect(events(broken.stdout).find((e) => e.event === 'step:run')).toMatchObject({
      reason: '.venv incomplete (.venv/lib/python*/site-packages missing)',
    })
    expect(stepEnd(broken.stdout), broken.stdout).toMatchObject({ status: 'changed' })
    expect(commandsLogged(broken.stdout, dir).some((line) => line.includes('-m venv --clear .venv'))).toBe(
      true,
    )
    expect(imports()).toBe('42')

    // Another python3 first on PATH (a wrapper script is its own file, so its own identity).
    const before = realpathSync(which('python3'))
    const wrappers = tempRepo({}, { git: false })
    fakeBin(wrappers, 'python3', `exec '${before}' "$@"`)
    const otherEnv = { ...env, PATH: `${wrappers}${path.delimiter}${process.env.PATH}` }
    const switched = await runCli(['up', '--json'], { cwd: dir, env: otherEnv })
    expect(events(switched.stdout).find((e) => e.event === 'step:run')).toMatchObject({
      reason: `python3 changed since last install (${before} → ${realpathSync(path.join(wrappers, 'python3'))})`,
    })
    expect(stepEnd(switched.stdout), switched.stdout).toMatchObject({ status: 'changed' })
    expect(commandsLogged(switched.stdout, dir).some((line) => line.includes('-m venv --clear .venv'))).toBe(
      true,
    )
    expect(imports()).toBe('42')
    expect(stepEnd((await runCli(['up', '--json'], { cwd: dir, env: otherEnv })).stdout).status).toBe('ok')
  })

  it("reports pip's own error when a requirement cannot be found", async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('  - dependencies'),
      'requirements.txt': 'no-such-thing==9.9\n',
    })
    const result = await runCli(['up', '--json'], { cwd: dir, env: { PIP_NO_INDEX: '1' } })
    expect(result.code).toBe(1)
    expect(stepEnd(result.stdout).reason).toMatch(
      /^ERROR: (Could not find a version|No matching distribution)/,
    )
  })
})

describe.skipIf(!hasCargo)('dependencies with real cargo', () => {
  it('fetches a crate with no registry dependencies offline, then is met by fingerprint', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('  - dependencies: cargo'),
      'Cargo.toml': '[package]\nname = "tiny"\nversion = "0.1.0"\nedition = "2021"\n',
      'src/main.rs': 'fn main() {}\n',
    })
    const first = await runCli(['up', '--json'], { cwd: dir, env: { CARGO_NET_OFFLINE: 'true' } })
    expect(stepEnd(first.stdout), first.stdout).toMatchObject({ status: 'changed' })
    expect(existsSync(path.join(dir, 'Cargo.lock'))).toBe(true)
    const second = await runCli(['up', '--json'], { cwd: dir })
    expect(stepEnd(second.stdout)).toMatchObject({
      status: 'ok',
      reason: 'Cargo.lock unchanged since last install',
    })
  })
})
