// The Node a dependency needs, end to end with real npm and local packages the test packs: one
// package says `engines.node >=99` (no Node here satisfies it) and fails when loaded on this one,
// as NodeBB's undici 8 does on Node 20. Its need reaches init's runtime step (from the
// package-lock.json npm writes), the dependencies step's result, and a crash's diagnosis.
import { spawnSync } from 'node:child_process'
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { events, runCli, tempRepo, writeFiles } from '../helpers.js'

let tarballs: string
const env = { npm_config_audit: 'false', npm_config_fund: 'false' }

interface StepEnd {
  event: string
  id: string
  status: string
  reason: string
  failure?: { diagnosis?: { id: string; cause: string; fix: string }[] }
}
const ends = (stdout: string) => events(stdout).filter((e) => e.event === 'step:end') as unknown as StepEnd[]

beforeAll(() => {
  tarballs = tempRepo({}, { git: false })
  const packages = {
    // Loading it on a Node without node:sqlite fails the way a too-new dependency does.
    'needs-node-99': { engines: { node: '>=99' }, index: "require('node:sqlite')\n" },
    'needs-node-18': { engines: { node: '>=18' }, index: 'module.exports = 18\n' },
  }
  for (const [name, { engines, index }] of Object.entries(packages)) {
    const src = tempRepo(
      {
        'package.json': JSON.stringify({ name, version: '1.0.0', main: 'index.js', engines }),
        'index.js': index,
      },
      { git: false },
    )
    const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', tarballs], { cwd: src })
    expect(packed.status, String(packed.stderr)).toBe(0)
  }
})

function app(steps: string) {
  const dir = tempRepo({
    'devsetup.yml': `version: 1\nsteps:\n${steps}\n`,
    'package.json': JSON.stringify({
      name: 'app',
      version: '1.0.0',
      engines: { node: '>=20' },
      dependencies: {
        'needs-node-99': 'file:vendor/needs-node-99-1.0.0.tgz',
        'needs-node-18': 'file:vendor/needs-node-18-1.0.0.tgz',
      },
    }),
  })
  writeFiles(dir, { 'vendor/.keep': '' })
  for (const file of readdirSync(tarballs))
    copyFileSync(path.join(tarballs, file), path.join(dir, 'vendor', file))
  return dir
}

describe('the node a dependency needs', () => {
  it("the dependencies step says which installed package refuses this node, and a crash's diagnosis names it", async () => {
    const dir = app('  - dependencies\n  - { name: App, run: "node -e \\"require(\'needs-node-99\')\\"" }')
    const result = await runCli(['up', '--json'], { cwd: dir, env })
    expect(result.code, result.stdout).toBe(1)
    const [deps, run] = ends(result.stdout)
    expect(deps?.status).toBe('changed')
    expect(deps?.reason).toMatch(
      /needs-node-99@1\.0\.0 needs node >=99 \(node_modules\/needs-node-99\/package\.json\); this is node 20\.\d+\.\d+: add `- runtime: \{ name: node, version: ">=99\.0\.0" \}`/,
    )
    expect(deps?.reason).not.toMatch(/needs-node-18/)
    expect(run?.status).toBe('failed')
    const diagnosis = run?.failure?.diagnosis?.find((d) => d.id === 'dependency-refuses-node')
    expect(diagnosis?.cause, JSON.stringify(run)).toMatch(/needs-node-99@1\.0\.0 needs node >=99/)
    expect(diagnosis?.fix).toMatch(
      /add `- runtime: \{ name: node, version: ">=99\.0\.0" \}` before this step/,
    )
  })

  it("init reads the lockfile's engines: the runtime step asks for the lowest node all accept, and doctor is red", async () => {
    const dir = app('  - dependencies')
    expect((await runCli(['up', '--json'], { cwd: dir, env })).code).toBe(0)
    const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'))
    expect(lock.packages['node_modules/needs-node-99'].engines).toEqual({ node: '>=99' })
    rmSync(path.join(dir, 'devsetup.yml'))
    const init = await runCli(['init'], { cwd: dir, env })
    expect(init.code, init.stderr).toBe(0)
    const recipe = readFileSync(path.join(dir, 'devsetup.yml'), 'utf8')
    expect(recipe).toMatch(
      /# .*package-lock\.json: needs-node-99@1\.0\.0 engines\.node >=99 \(package\.json engines\.node >=20\): node >=99, the range all accept \(lowest 99\.0\.0\)\n {2}- runtime:\n {6}name: node\n {6}version: ">=99"/,
    )
    const doctor = await runCli(['doctor', '--json'], { cwd: dir, env })
    expect(doctor.code).toBe(1)
    const runtime = ends(doctor.stdout).find((e) => (e as unknown as { type: string }).type === 'runtime')
    expect(runtime?.status, doctor.stdout).toBe('unmet')
    expect(runtime?.reason).toMatch(/node 20\.\d+\.\d+ found, the recipe wants >=99(?!\.)/)
  })
})
