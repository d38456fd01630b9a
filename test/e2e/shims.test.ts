// Every step's `yarn …` runs the repository's own yarn on a machine where `yarn` is not on
// PATH: a `run:` step, the dev server a `restart` step starts, and the package.json scripts
// they call, which call `yarn` again inside. Real yarn only: a committed yarnPath release run
// with node, and yarn 1 through the real corepack (downloaded from the npm registry).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { events, runCli, stateDirOf, tempRepo } from '../helpers.js'
import { binFolder, commitYarnRelease, managerEnv } from './node-managers.js'
import { freePort, killServersAfterwards, serverSource } from './restart/servers.js'

let corepackHome: string
/** Only node, sh and corepack on PATH: whether a yarn is installed on this machine must not matter. */
let withCorepack: string
/** node and sh only: no yarn, no corepack. */
let nodeOnly: string

beforeAll(() => {
  corepackHome = tempRepo({}, { git: false })
  withCorepack = binFolder(['node', 'sh', 'corepack'])
  nodeOnly = binFolder(['node', 'sh'])
})

/** An app whose scripts call yarn inside, built by `yarn build` and started by `yarn dev`. */
function yarnApp(port: number, packageManager: string, files: Record<string, string> = {}) {
  const dir = tempRepo({
    'server.js': serverSource,
    'package.json': JSON.stringify({
      name: 'app',
      version: '1.0.0',
      private: true,
      packageManager,
      scripts: {
        build: 'yarn write-build',
        'write-build': "node -e \"require('fs').writeFileSync('built.txt', 'built')\"",
        dev: 'yarn serve',
        serve: 'node server.js',
      },
    }),
    'devsetup.yml': `version: 1
env:
  PORT: "${port}"
steps:
  - { name: Yarn answers, id: yarn-version, run: "true", check: yarn --version }
  - dependencies
  - { name: Build, id: build, run: yarn build, creates: built.txt }
  - restart: { start: yarn dev, health: "http://127.0.0.1:${port}/health" }
`,
    ...files,
  })
  killServersAfterwards(dir)
  return dir
}

const ends = (stdout: string) =>
  Object.fromEntries(
    events(stdout)
      .filter((e) => e.event === 'step:end')
      .map((e) => [e.step as string, e as { status: string; reason: string }]),
  )

async function upThenDoctor(dir: string, env: Record<string, string>, port: number) {
  // doctor changes nothing: before any up, its checks get shims made for this run only.
  const tmp = tempRepo({}, { git: false })
  const first = await runCli(['doctor', '--json'], { cwd: dir, env: { ...env, TMPDIR: tmp } })
  expect(ends(first.stdout)['yarn-version'], first.stdout).toMatchObject({ status: 'ok' })
  expect(existsSync(stateDirOf(dir))).toBe(false)
  // (yarn 1 leaves its v8-compile-cache there: only devsetup's own folder must be gone.)
  expect(readdirSync(tmp).filter((f) => f.startsWith('devsetup-shims-'))).toEqual([])

  const up = await runCli(['up', '--json'], { cwd: dir, env })
  expect(up.code, up.stdout + up.stderr).toBe(0)
  const steps = ends(up.stdout)
  expect(steps.build).toMatchObject({ status: 'changed' })
  expect(steps.restart).toMatchObject({ status: 'changed' })
  expect(readFileSync(path.join(dir, 'built.txt'), 'utf8')).toBe('built')
  // The server `yarn dev` → `yarn serve` started answers.
  const response = await fetch(`http://127.0.0.1:${port}/health`)
  expect(response.status).toBe(200)

  const doctor = await runCli(['doctor', '--json'], { cwd: dir, env })
  expect(doctor.code, doctor.stdout).toBe(0)
  // The shims live in devsetup's state folder, never in the repository.
  expect(readdirSync(path.join(stateDirOf(dir), 'shims')).length).toBe(1)
  expect(existsSync(path.join(dir, 'yarn'))).toBe(false)
  return up
}

describe("yarn in every step's commands, with no yarn on PATH", () => {
  it('a committed yarnPath release: run with node, no yarn and no corepack on PATH', async () => {
    const port = await freePort()
    const dir = yarnApp(port, 'yarn@4.5.0', {
      '.yarnrc.yml': 'yarnPath: .yarn/releases/yarn-4.5.0.cjs\nnodeLinker: node-modules\n',
    })
    commitYarnRelease(dir, '4.5.0')
    const env = managerEnv(nodeOnly, corepackHome)
    await upThenDoctor(dir, env, port)
    const shims = path.join(stateDirOf(dir), 'shims')
    const yarn = readFileSync(path.join(shims, readdirSync(shims)[0]!, 'yarn'), 'utf8')
    expect(yarn).toContain(`exec 'node' '${dir}/.yarn/releases/yarn-4.5.0.cjs' "$@"`)
    await runCli(['stop'], { cwd: dir, env })
  })

  it('yarn 1 through corepack: only node, sh and corepack on PATH', async () => {
    const port = await freePort()
    const dir = yarnApp(port, 'yarn@1.22.22')
    const env = managerEnv(withCorepack, corepackHome)
    const up = await upThenDoctor(dir, env, port)
    expect(ends(up.stdout).dependencies?.reason).toMatch(/^corepack yarn install/)
    await runCli(['stop'], { cwd: dir, env })
  })
})
