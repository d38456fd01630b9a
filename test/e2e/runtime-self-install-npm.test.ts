// A node devsetup installs itself comes with the npm its line ships (the registry's node package
// holds only the binary, and the machine's npm may not run on an old node), and the yarn shim's
// corepack runs on the node it was installed with, not the older one now first on PATH. Real
// downloads from the npm registry (node 16 and 14, npm 8 and 6: ~35 MB each), one npm cache
// for the whole file; real npm ci of a local tarball, real yarn 1 through the machine's corepack.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { registryPackage } from '../../src/steps/runtime/self-install/packages.js'
import { events, runCli, tempRepo } from '../helpers.js'
import { managerEnv } from './node-managers.js'
import { realNpm, selfInstallFolders } from './self-install-env.js'

const { npmBin, cacheDir, env: noManager } = selfInstallFolders()
const env = (home: string, extra: Record<string, string> = {}) =>
  noManager(home, { npm_config_audit: 'false', npm_config_fund: 'false', ...extra })

/** A repository on node 16 whose package-lock names one local tarball. */
function npmApp(): string {
  const src = tempRepo(
    {
      'package.json': JSON.stringify({ name: 'tiny-a', version: '1.0.0', main: 'index.js' }),
      'index.js': '',
    },
    { git: false },
  )
  const repo = tempRepo({
    '.nvmrc': '16\n',
    'package.json': JSON.stringify({
      name: 'app',
      version: '1.0.0',
      dependencies: { 'tiny-a': 'file:vendor/tiny-a-1.0.0.tgz' },
    }),
    'devsetup.yml': `version: 1
steps:
  - runtime: node
  - dependencies
  - name: versions
    run: (node -v; npm -v; npx -v; node-gyp -v; echo "$npm_config_nodedir") > versions.txt
    creates: versions.txt
`,
  })
  const vendor = path.join(repo, 'vendor')
  mkdirSync(vendor)
  for (const [args, cwd] of [
    [['pack', '--silent', '--pack-destination', vendor], src],
    [['install', '--package-lock-only', '--silent'], repo],
  ] as const) {
    const done = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env(repo) } })
    expect(done.status, done.stderr).toBe(0)
  }
  return repo
}

const ends = (stdout: string) =>
  events(stdout)
    .filter((e) => e.event === 'step:end')
    .map((e) => e as { status: string; reason: string })

describe.skipIf(!registryPackage('node') || !realNpm)('a node devsetup installs comes with its npm', () => {
  it('node 16 gets npm 8: npm ci and later steps run it under node 16; a cached node without npm is installed again', {
    timeout: 300_000,
  }, async () => {
    const repo = npmApp()
    const up = await runCli(['up', '--verbose'], { cwd: repo, env: env(repo), timeoutMs: 280_000 })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stdout).toMatch(/downloading npm@8\.\d+\.\d+ \(the npm for node 16\.\d+\.\d+\)/)
    expect(up.stdout).toContain('✔ Install dependencies — changed: npm ci')
    const [node, npm, npx, gyp, nodedir] = readFileSync(path.join(repo, 'versions.txt'), 'utf8')
      .trim()
      .split('\n')
    expect(node).toMatch(/^v16\.\d+\.\d+$/)
    expect(npm).toMatch(/^8\.\d+\.\d+$/)
    expect(npx).toBe(npm)
    // npm's own node-gyp, on PATH as an official release has it (yarn 1 builds native modules with it).
    expect(gyp).toMatch(/^v\d+\.\d+\.\d+$/)
    // node-gyp builds against the headers that node ships, with no download from nodejs.org.
    expect(nodedir).toBe(path.join(cacheDir, 'runtimes', 'node', node!.slice(1)))
    expect(existsSync(path.join(nodedir!, 'include', 'node', 'node.h'))).toBe(true)
    expect(readFileSync(path.join(repo, 'node_modules', 'tiny-a', 'package.json'), 'utf8')).toContain(
      'tiny-a',
    )

    // A node installed before devsetup added npm (or whose npm broke): doctor says so, up repairs.
    const versionDir = path.join(cacheDir, 'runtimes', 'node', node!.slice(1))
    rmSync(path.join(versionDir, 'lib'), { recursive: true })
    const doctor = await runCli(['doctor', '--json'], { cwd: repo, env: env(repo) })
    expect(doctor.code).toBe(1)
    const [runtime] = ends(doctor.stdout)
    expect(runtime).toMatchObject({ status: 'unmet' })
    expect(runtime!.reason).toContain(
      `does not run (its npm is missing: ${path.join(versionDir, 'lib', 'node_modules', 'npm')})`,
    )
    const again = await runCli(['up', '--json'], { cwd: repo, env: env(repo), timeoutMs: 280_000 })
    expect(again.code, again.stdout).toBe(0)
    const check = spawnSync(path.join(versionDir, 'bin', 'npm'), ['-v'], { encoding: 'utf8' })
    expect(check.stdout.trim()).toBe(npm)
    expect(readdirSync(path.dirname(versionDir))).toEqual([node!.slice(1)])
  })

  /** `up` of a yarn 1 repository (packageManager, through corepack) on the node `.nvmrc` names. */
  async function yarnUp(nvmrc: string, run: string) {
    const corepackHome = tempRepo({}, { git: false })
    const repo = tempRepo({
      '.nvmrc': `${nvmrc}\n`,
      'package.json': JSON.stringify({ name: 'app', version: '1.0.0', packageManager: 'yarn@1.22.22' }),
      'yarn.lock':
        '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n',
      'devsetup.yml': `version: 1
steps:
  - runtime: node
  # The install itself goes through corepack too (launch.ts).
  - dependencies
  - name: answers
    run: ${run} > versions.txt
    creates: versions.txt
`,
    })
    const { PATH: _, ...corepackEnv } = managerEnv(npmBin, corepackHome)
    const up = await runCli(['up', '--json'], { cwd: repo, env: env(repo, corepackEnv), timeoutMs: 280_000 })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    const install = events(up.stdout).find((e) => e.event === 'step:end' && e.step === 'dependencies')
    return { install, answers: readFileSync(path.join(repo, 'versions.txt'), 'utf8').trim().split('\n') }
  }

  it("lts/fermium (node 14, npm 6): the yarn install and the yarn shim run the machine's corepack with the machine's node", {
    timeout: 300_000,
  }, async () => {
    const { install, answers } = await yarnUp('lts/fermium', '(node -v; npm -v; yarn --version)')
    // Corepack would die in node 14: its own node runs it.
    expect(install?.reason).toMatch(/^\S+\/node \S+corepack\.js yarn install/)
    const [node, npm, yarn] = answers
    expect(node).toMatch(/^v14\.\d+\.\d+$/)
    expect(npm).toMatch(/^6\.\d+\.\d+$/)
    expect(yarn).toBe('1.22.22')
  })

  it("a newer node than corepack's own (24, as pnpm 11 needs): corepack, and the yarn it runs, run on that node", {
    timeout: 300_000,
  }, async () => {
    // yarn 1's `yarn node` runs the node yarn itself runs in: corepack's.
    const { install, answers } = await yarnUp('24', 'yarn --silent node -p process.version')
    expect(install?.reason).toMatch(/^corepack yarn install/)
    expect(answers[0]).toMatch(/^v24\.\d+\.\d+$/)
  })
})
