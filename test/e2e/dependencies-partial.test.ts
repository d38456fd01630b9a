// A failed or partial install is never `ok`, and the repository's own yarn is what runs. Real
// managers only: npm, yarn 1 and yarn 4 through the real corepack (it downloads them from the npm
// registry, the only network a test may use), and a committed yarn release run with node.
// The packages are local tarballs built here; one of them has an install script that fails like
// a native build whose tool is missing, after the others were written to node_modules.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { events, runCli, tempRepo } from '../helpers.js'
import { binFolder, commitYarnRelease, managerEnv as nodeManagerEnv } from './node-managers.js'

let tarballs: string
let corepackHome: string
/** Only node, sh and corepack on PATH: whether a yarn is installed on this machine must not matter. */
let withCorepack: string
/** node and sh only: no yarn, no corepack. */
let nodeOnly: string

beforeAll(() => {
  tarballs = tempRepo({}, { git: false })
  const sources: Record<string, Record<string, string>> = {
    'tiny-a': { 'index.js': "module.exports = 'a'\n" },
    'tiny-b': { 'index.js': "module.exports = 'b'\n" },
    // The failure the issue saw, by the same words: the build tool is not there.
    'native-thing': {
      'build.js':
        "if (process.env.BREAK_NATIVE_BUILD) { console.error('sh: 1: node-gyp-build: not found'); process.exit(1) }\nrequire('fs').writeFileSync('built.txt', 'ok')\n",
    },
  }
  for (const [name, files] of Object.entries(sources)) {
    const scripts = files['build.js'] ? { install: 'node build.js' } : undefined
    const src = tempRepo(
      { ...files, 'package.json': JSON.stringify({ name, version: '1.0.0', scripts }) },
      { git: false },
    )
    const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', tarballs], {
      cwd: src,
      encoding: 'utf8',
    })
    expect(packed.status, packed.stderr).toBe(0)
  }
  corepackHome = tempRepo({}, { git: false })
  withCorepack = binFolder(['node', 'sh', 'corepack'])
  nodeOnly = binFolder(['node', 'sh'])
})

const dependencies = Object.fromEntries(
  ['tiny-a', 'native-thing', 'tiny-b'].map((name) => [name, `file:vendor/${name}-1.0.0.tgz`]),
)

function appRepo(packageJson: Record<string, unknown>, files: Record<string, string> = {}) {
  const dir = tempRepo({
    'devsetup.yml': 'version: 1\nsteps:\n  - dependencies\n',
    'package.json': JSON.stringify({ name: 'app', version: '1.0.0', dependencies, ...packageJson }),
    ...files,
  })
  mkdirSync(path.join(dir, 'vendor'))
  for (const file of readdirSync(tarballs))
    copyFileSync(path.join(tarballs, file), path.join(dir, 'vendor', file))
  return dir
}

const managerEnv = (bin: string) => nodeManagerEnv(bin, corepackHome)

const stepEnd = (stdout: string) =>
  events(stdout).find((e) => e.event === 'step:end') as { status: string; reason: string }
const stepRun = (stdout: string) =>
  events(stdout).find((e) => e.event === 'step:run') as { reason: string } | undefined

async function doctor(dir: string, env: Record<string, string>) {
  const result = await runCli(['doctor', '--json'], { cwd: dir, env })
  return { code: result.code, end: stepEnd(result.stdout), text: result.stdout }
}

/** Install, rm -rf node_modules, then a reinstall whose native build fails: nothing may call that ok. */
async function partialReinstall(dir: string, env: Record<string, string>) {
  const first = await runCli(['up', '--json'], { cwd: dir, env })
  expect(stepEnd(first.stdout), first.stdout + first.stderr).toMatchObject({ status: 'changed' })
  expect(existsSync(path.join(dir, 'node_modules/native-thing/built.txt'))).toBe(true)
  expect((await doctor(dir, env)).code).toBe(0)

  rmSync(path.join(dir, 'node_modules'), { recursive: true })
  const broken = { ...env, BREAK_NATIVE_BUILD: '1' }
  const failed = await runCli(['up', '--json'], { cwd: dir, env: broken })
  expect(failed.code, failed.stdout).toBe(1)
  expect(stepEnd(failed.stdout).status).toBe('failed')
  return broken
}

describe('a failed reinstall is never ok', () => {
  it('yarn 1 through corepack (no yarn on PATH): red after a partial reinstall, the fix names corepack, up retries', async () => {
    const dir = appRepo({ packageManager: 'yarn@1.22.22' })
    const env = managerEnv(withCorepack)
    const broken = await partialReinstall(dir, env)
    // Partial: the packages before the failing one were written; yarn's own record was not.
    expect(existsSync(path.join(dir, 'node_modules/tiny-a/index.js'))).toBe(true)
    expect(existsSync(path.join(dir, 'node_modules/.yarn-integrity'))).toBe(false)

    const red = await doctor(dir, broken)
    expect(red.code).toBe(1)
    expect(red.end).toMatchObject({
      status: 'unmet',
      reason: 'the last install (`yarn install --frozen-lockfile --check-files`) failed or was interrupted',
    })
    expect(red.text).toContain('corepack yarn install --frozen-lockfile --check-files')

    const retried = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepRun(retried.stdout)?.reason).toBe(red.end.reason)
    expect(stepEnd(retried.stdout).reason).toMatch(/^corepack yarn install --frozen-lockfile/)
    expect(existsSync(path.join(dir, 'node_modules/native-thing/built.txt'))).toBe(true)
    expect((await doctor(dir, env)).end.status).toBe('ok')
  })

  it("yarn 1: a package folder gone or yarn's integrity file gone is red", async () => {
    const dir = appRepo({ packageManager: 'yarn@1.22.22' })
    const env = managerEnv(withCorepack)
    expect(stepEnd((await runCli(['up', '--json'], { cwd: dir, env })).stdout).status).toBe('changed')
    rmSync(path.join(dir, 'node_modules/tiny-b'), { recursive: true })
    expect((await doctor(dir, env)).end).toMatchObject({
      status: 'unmet',
      reason: 'node_modules incomplete (node_modules/tiny-b missing)',
    })
    expect(stepEnd((await runCli(['up', '--json'], { cwd: dir, env })).stdout).status).toBe('changed')
    rmSync(path.join(dir, 'node_modules/.yarn-integrity'))
    expect((await doctor(dir, env)).end).toMatchObject({
      status: 'unmet',
      reason: 'node_modules/.yarn-integrity missing: yarn did not record a finished install here',
    })
  })

  it('yarn 4 (node-modules linker) through corepack: its install state is written even when a build failed', async () => {
    const dir = appRepo({ packageManager: 'yarn@4.5.0' }, { '.yarnrc.yml': 'nodeLinker: node-modules\n' })
    const env = managerEnv(withCorepack)
    const broken = await partialReinstall(dir, env)
    // What the old check trusted is all there after the failure.
    expect(existsSync(path.join(dir, 'node_modules/.yarn-state.yml'))).toBe(true)
    expect(existsSync(path.join(dir, '.yarn/install-state.gz'))).toBe(true)
    const red = await doctor(dir, broken)
    expect(red.end).toMatchObject({
      status: 'unmet',
      reason: 'the last install (`yarn install --immutable`) failed or was interrupted',
    })
    expect(red.text).toContain('corepack yarn install --immutable')
    const retried = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(retried.stdout), retried.stdout).toMatchObject({ status: 'changed' })
    expect(existsSync(path.join(dir, 'node_modules/native-thing/built.txt'))).toBe(true)
    expect((await doctor(dir, env)).code).toBe(0)

    rmSync(path.join(dir, '.yarn/install-state.gz'))
    expect((await doctor(dir, env)).end).toMatchObject({
      status: 'unmet',
      reason: '.yarn/install-state.gz missing: yarn did not record a finished install here',
    })
  })

  it('npm: red after a failed reinstall, up retries', async () => {
    const dir = appRepo({})
    const env = managerEnv(binFolder(['node', 'sh', 'npm']))
    const broken = await partialReinstall(dir, env)
    expect((await doctor(dir, broken)).end).toMatchObject({
      status: 'unmet',
      reason: 'the last install (`npm ci`) failed or was interrupted',
    })
    const retried = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(retried.stdout), retried.stdout).toMatchObject({ status: 'changed' })
    expect((await doctor(dir, env)).code).toBe(0)
  })
})

describe("the repository's own yarn", () => {
  it('a committed yarnPath release runs with node, with no yarn and no corepack on PATH', async () => {
    const dir = appRepo(
      { packageManager: 'yarn@4.5.0' },
      { '.yarnrc.yml': 'yarnPath: .yarn/releases/yarn-4.5.0.cjs\nnodeLinker: node-modules\n' },
    )
    // The release as a repository commits it: yarn's own bundle, from the npm registry.
    commitYarnRelease(dir, '4.5.0')
    const env = managerEnv(nodeOnly)

    const before = await doctor(dir, env)
    expect(before.text).toContain('node .yarn/releases/yarn-4.5.0.cjs install')
    const up = await runCli(['up', '--json'], { cwd: dir, env })
    expect(stepEnd(up.stdout), up.stdout + up.stderr).toMatchObject({ status: 'changed' })
    expect(stepEnd(up.stdout).reason).toMatch(/^node \.yarn\/releases\/yarn-4\.5\.0\.cjs install/)
    expect(existsSync(path.join(dir, 'node_modules/native-thing/built.txt'))).toBe(true)
    expect((await doctor(dir, env)).code).toBe(0)
  })
})
