// The `dependencies` step with managers this machine does not have (pnpm, yarn, bundler,
// corepack): fake executables on PATH that log their arguments and leave what the real
// ones leave (node_modules/.modules.yaml, .pnp.cjs, ...). Plus recipe validation.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, fakeBin, runCli, tempRepo } from '../helpers.js'

const recipe = (steps: string) => `version: 1\nsteps:\n${steps}\n`
const system = '/usr/bin:/bin'

/** A repository with fake managers in .fakebin, each logging "name args" to calls.log. */
function repoWithFakes(files: Record<string, string>, fakes: Record<string, string>, pathTail = system) {
  const dir = tempRepo(files)
  const bin = path.join(dir, '.fakebin')
  const log = path.join(dir, 'calls.log')
  for (const [name, script] of Object.entries(fakes))
    fakeBin(bin, name, `echo "${name} $*" >> '${log}'\n${script}`)
  const env = { PATH: `${bin}${path.delimiter}${pathTail}` }
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [])
  return { dir, env, calls }
}

const stepEnd = (stdout: string) =>
  events(stdout).find((e) => e.event === 'step:end') as { status: string; reason: string }
const stepRun = (stdout: string) =>
  events(stdout).find((e) => e.event === 'step:run') as { reason: string } | undefined

/** What yarn 1 writes once an install finished: its integrity file, listing the top-level packages. */
const makeYarnIntegrity = `mkdir -p node_modules && echo '{"topLevelPatterns":[]}' > node_modules/.yarn-integrity`
const makePnpmTree = 'mkdir -p node_modules && echo "layoutVersion: 5" > node_modules/.modules.yaml'

describe('dependencies with fake managers', () => {
  it('honours packageManager (pnpm), records the lockfile the install wrote, then uses --frozen-lockfile', async () => {
    const { dir, env, calls } = repoWithFakes(
      {
        'devsetup.yml': recipe('  - dependencies'),
        'package.json': JSON.stringify({ name: 'app', packageManager: 'pnpm@9.1.0' }),
        // A stale npm lockfile: packageManager wins over it.
        'package-lock.json': '{}',
      },
      { pnpm: `${makePnpmTree}\necho "lockfileVersion: '9.0'" > pnpm-lock.yaml` },
    )
    const first = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(first.stdout), first.stdout + first.stderr).toMatchObject({
      status: 'changed',
      reason: 'pnpm install; package-lock.json ignored: pnpm installs here (packageManager in package.json)',
    })
    const second = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(second.stdout)).toMatchObject({
      status: 'ok',
      reason:
        'pnpm-lock.yaml unchanged since last install, node_modules intact; package-lock.json ignored: pnpm installs here (packageManager in package.json)',
    })
    writeFileSync(path.join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n# edited\n")
    const third = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepRun(third.stdout)?.reason).toBe(
      'pnpm-lock.yaml changed since last install; package-lock.json ignored: pnpm installs here (packageManager in package.json)',
    )
    expect(calls()).toEqual(['pnpm install', 'pnpm install --frozen-lockfile'])
  })

  it('installs again when node on PATH is another one than at the last install', async () => {
    const { dir, env, calls } = repoWithFakes(
      {
        'devsetup.yml': recipe('  - dependencies'),
        'package.json': '{"name":"app"}',
        'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      },
      { pnpm: makePnpmTree },
    )
    // Two node installs: the second reached through a symlink, as version managers do.
    fakeBin(path.join(dir, '.node-20'), 'node', 'exit 0')
    fakeBin(path.join(dir, '.node-22'), 'node', 'exit 0')
    mkdirSync(path.join(dir, '.shims'))
    symlinkSync(path.join(dir, '.node-22/node'), path.join(dir, '.shims/node'))
    const withNode = (folder: string) => ({ PATH: `${path.join(dir, folder)}${path.delimiter}${env.PATH}` })
    expect(
      stepEnd((await runCli(['up', '--json'], { cwd: dir, env: withNode('.node-20') })).stdout).status,
    ).toBe('changed')
    const same = await runCli(['up', '--json'], { cwd: dir, env: withNode('.node-20') })
    expect(stepEnd(same.stdout).status).toBe('ok')

    const other = await runCli(['up', '--json'], { cwd: dir, env: withNode('.shims') })
    const real = (file: string) => realpathSync(path.join(dir, file))
    expect(stepRun(other.stdout)?.reason).toBe(
      `node changed since last install (${real('.node-20/node')} → ${real('.node-22/node')})`,
    )
    expect(stepEnd(other.stdout).status).toBe('changed')
    expect(
      stepEnd((await runCli(['up', '--json'], { cwd: dir, env: withNode('.shims') })).stdout).status,
    ).toBe('ok')
    expect(calls()).toEqual(['pnpm install --frozen-lockfile', 'pnpm install --frozen-lockfile'])
  })

  it('says which lockfile it ignores when package-lock.json and yarn.lock are both there', async () => {
    const { dir, env, calls } = repoWithFakes(
      {
        'devsetup.yml': recipe('  - dependencies'),
        'package.json': '{"name":"app"}',
        'package-lock.json': '{"lockfileVersion":3}',
        'yarn.lock': '# yarn lockfile v1\n',
      },
      { npm: `mkdir -p node_modules && echo '{"packages":{}}' > node_modules/.package-lock.json` },
    )
    const doctor = await runCli(['doctor', '--json'], { cwd: dir, env })
    expect(stepEnd(doctor.stdout)).toMatchObject({
      status: 'unmet',
      reason: 'never installed here; yarn.lock ignored: npm installs here (package-lock.json)',
    })
    const up = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(up.stdout), up.stdout).toMatchObject({
      status: 'changed',
      reason: 'npm ci; yarn.lock ignored: npm installs here (package-lock.json)',
    })
    expect(calls()).toEqual(['npm ci'])
  })

  it("runs pnpm through corepack when it is not on PATH: with no packageManager, the lockfile's pnpm major", async () => {
    // lockfileVersion 9.0 is written by pnpm 9 and 10; corepack's newest (11+) reads .npmrc differently.
    const files = {
      'devsetup.yml': recipe('  - dependencies: pnpm'),
      'package.json': '{"name":"app"}',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    }
    const { dir, env, calls } = repoWithFakes(files, { corepack: makePnpmTree })
    const doctor = await runCli(['doctor', '--json'], { cwd: dir, env })
    const unmet = events(doctor.stdout).find((e) => e.event === 'step:end') as { fix?: string }
    expect(unmet.fix).toBe('corepack pnpm@10 install --frozen-lockfile')
    const result = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(result.stdout)).toMatchObject({
      status: 'changed',
      reason:
        'corepack pnpm@10 install --frozen-lockfile (package.json pins no pnpm (packageManager); pnpm-lock.yaml has lockfileVersion 9.0, which pnpm 10 is the newest to write)',
    })
    expect(calls()).toEqual(['corepack pnpm@10 install --frozen-lockfile'])

    const v6 = repoWithFakes(
      { ...files, 'pnpm-lock.yaml': "lockfileVersion: '6.0'\n" },
      { corepack: makePnpmTree },
    )
    await runCli(['up', '--json'], { cwd: v6.dir, env: v6.env })
    expect(v6.calls()).toEqual(['corepack pnpm@8 install --frozen-lockfile'])
    // A pinned pnpm is corepack's to run, as pinned.
    const pinned = repoWithFakes(
      { ...files, 'package.json': '{"name":"app","packageManager":"pnpm@9.15.0"}' },
      { corepack: makePnpmTree },
    )
    await runCli(['up', '--json'], { cwd: pinned.dir, env: pinned.env })
    expect(pinned.calls()).toEqual(['corepack pnpm install --frozen-lockfile'])
  })

  it('tells yarn berry from classic: --immutable vs --frozen-lockfile', async () => {
    const berry = repoWithFakes(
      {
        'devsetup.yml': recipe('  - dependencies'),
        'package.json': JSON.stringify({ name: 'app', packageManager: 'yarn@4.1.0' }),
        'yarn.lock': '__metadata:\n  version: 8\n',
      },
      { yarn: 'touch .pnp.cjs && mkdir -p .yarn && touch .yarn/install-state.gz' },
    )
    expect(stepEnd((await runCli(['up', '--json'], { cwd: berry.dir, env: berry.env })).stdout).status).toBe(
      'changed',
    )
    expect(berry.calls()).toEqual(['yarn install --immutable'])
    rmSync(path.join(berry.dir, '.pnp.cjs'))
    expect(stepRun((await runCli(['up', '--json'], { cwd: berry.dir, env: berry.env })).stdout)?.reason).toBe(
      '.pnp.cjs missing',
    )

    const classic = repoWithFakes(
      {
        'devsetup.yml': recipe('  - dependencies'),
        'package.json': '{"name":"app"}',
        'yarn.lock': '# yarn lockfile v1\n',
      },
      { yarn: makeYarnIntegrity },
    )
    expect(
      stepEnd((await runCli(['up', '--json'], { cwd: classic.dir, env: classic.env })).stdout).status,
    ).toBe('changed')
    expect(classic.calls()).toEqual(['yarn install --frozen-lockfile --check-files'])
  })

  it('a declared yarn 1 keeps --frozen-lockfile even with a .yarnrc.yml (yarn 1 ignores --immutable)', async () => {
    const { dir, env, calls } = repoWithFakes(
      {
        'devsetup.yml': recipe('  - dependencies'),
        'package.json': JSON.stringify({ name: 'app', packageManager: 'yarn@1.22.19' }),
        'yarn.lock': '# yarn lockfile v1\n',
        '.yarnrc.yml': 'nodeLinker: node-modules\n',
      },
      { yarn: makeYarnIntegrity },
    )
    const result = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(result.stdout), result.stdout + result.stderr).toMatchObject({ status: 'changed' })
    expect(calls()).toEqual(['yarn install --frozen-lockfile --check-files'])
  })

  it('reports a yarn lockfile that would change as out of sync, with the fix', async () => {
    const { dir, env } = repoWithFakes(
      {
        'devsetup.yml': recipe('  - dependencies: yarn'),
        'package.json': '{}',
        'yarn.lock': '__metadata:\n',
      },
      {
        yarn: 'echo "➤ YN0000: ┌ Resolution step"\necho "➤ YN0028: The lockfile would have been modified by this install, which is explicitly forbidden."\nexit 1',
      },
    )
    const result = await runCli(['up', '--json'], { cwd: dir, env })
    expect(result.code).toBe(1)
    expect(stepEnd(result.stdout).reason).toBe(
      'yarn.lock is out of sync with package.json: run `yarn install` to update yarn.lock, then commit it',
    )
  })

  it('a missing manager fails with how to get it', async () => {
    const { dir, env } = repoWithFakes(
      { 'devsetup.yml': recipe('  - dependencies'), Gemfile: "source 'https://rubygems.org'\n" },
      {},
      // Nothing else on PATH: this machine's own bundle (/usr/bin/bundle with ruby) must not count.
      tempRepo({}, { git: false }),
    )
    const result = await runCli(['up', '--json'], { cwd: dir, env })
    expect(result.code).toBe(1)
    expect(stepEnd(result.stdout)).toMatchObject({
      status: 'failed',
      reason:
        'bundle is not installed (not found on PATH), so bundler cannot install (run `gem install bundler`)',
    })
  })

  it('installs every detected manager as parallel subtasks, and re-runs only the changed one', async () => {
    // Each fake waits for the other to have started: they only both succeed when run together.
    const waitFor = (other: string) =>
      `touch started-$(basename $0)\ni=0\nwhile [ ! -f started-${other} ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done\n[ -f started-${other} ] || { echo "error: ${other} never started"; exit 3; }`
    const { dir, env, calls } = repoWithFakes(
      {
        'devsetup.yml': recipe('  - dependencies'),
        'package.json': '{"name":"app"}',
        'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
        Gemfile: "source 'https://rubygems.org'\n",
        'Gemfile.lock': 'GEM\n',
      },
      { pnpm: `${waitFor('bundle')}\n${makePnpmTree}`, bundle: waitFor('pnpm') },
    )
    const first = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(first.stdout), first.stdout).toMatchObject({ status: 'changed' })
    const subtasks = events(first.stdout).filter((e) => e.event === 'step:subtask' && e.status === 'done')
    expect(subtasks.map((e) => e.title).sort()).toEqual(['bundler', 'pnpm'])

    const second = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(second.stdout)).toMatchObject({
      status: 'ok',
      // Where this machine's Ruby installs gems (its system folder here: nothing was installed).
      reason: expect.stringMatching(
        /^pnpm: pnpm-lock\.yaml unchanged since last install, node_modules intact; bundler: Gemfile\.lock unchanged since last install, gems in \/\S+ intact$/,
      ),
    })

    writeFileSync(path.join(dir, 'Gemfile.lock'), 'GEM\n  specs:\n')
    writeFileSync(path.join(dir, 'started-pnpm'), '') // the lone bundle run must not wait
    const third = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepRun(third.stdout)?.reason).toBe('bundler: Gemfile.lock changed since last install')
    expect(calls()).toEqual(expect.arrayContaining(['pnpm install --frozen-lockfile', 'bundle install']))
    expect(calls()).toHaveLength(3)
    expect(calls().at(-1)).toBe('bundle install')
  })

  it('explains a folder with nothing to install', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('  - dependencies: { manager: npm, cwd: web }'),
      'web/.keep': '',
    })
    const doctor = await runCli(['doctor', '--json'], { cwd: dir })
    expect(doctor.code).toBe(1)
    expect(stepEnd(doctor.stdout)).toMatchObject({ status: 'unmet', reason: 'no package.json in web' })
  })
})

describe('dependencies recipe validation', () => {
  it.each([
    ['  - dependencies: npn', /expected one of npm, .*got a string \("npn"\)[\s\S]*did you mean `npm`/],
    ['  - dependencies: { manager: npm, requirements: dev.txt }', /`requirements`: only for `manager: pip`/],
    ['  - dependencies: { cwd: ../elsewhere }', /`cwd`: must be a path inside the repository/],
    ['  - dependencies: { manger: npm }', /unknown key `manger`[\s\S]*did you mean `manager`/],
  ])('rejects %s', async (step, message) => {
    const dir = tempRepo({ 'devsetup.yml': recipe(step) })
    const result = await runCli(['validate'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr + result.stdout).toMatch(message)
  })
})
