// `runtime: node` asks what a package.json's exactly pinned dependencies need (NodeBB: engines
// `>=20`, `undici: 8.1.0` needing `>=22.19.0`): that version's engines.node in the registry npm
// installs from (here a real HTTP server the test starts, named by npm_config_registry). A range
// is not asked (it resolves on the day of the install); a lockfile changes nothing (an exact pin
// is installed as written); answers are cached; a registry that does not answer is no requirement.
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { registryDocumentsDuringTests } from './registry-documents.js'

// The documents say "newer than the node running the test" and "older", so the test means the
// same on any machine.
const machineNode = process.versions.node
const major = Number(machineNode.split('.')[0])
const newer = `>=${major + 2}.19.0`
const documents: Record<string, unknown> = {
  '/strict-dep/8.1.0': { name: 'strict-dep', version: '8.1.0', engines: { node: newer } },
  '/easy-dep/1.0.0': { name: 'easy-dep', version: '1.0.0', engines: { node: `>=${major - 4}` } },
  '/@scope/old-dep/2.0.0': { name: '@scope/old-dep', version: '2.0.0', engines: { node: '>= 0.8.0' } },
  '/@orm/core/7.1.11': { name: '@orm/core', version: '7.1.11', engines: { node: newer } },
}
const served = registryDocumentsDuringTests(documents)

const manifest = (dependencies: Record<string, string>) =>
  JSON.stringify({ name: 'app', private: true, engines: { node: `>=${major - 2}` }, dependencies }, null, 2)

const pinned = {
  'easy-dep': '1.0.0',
  '@scope/old-dep': '2.0.0',
  'strict-dep': '8.1.0',
  'ranged-dep': '^3.0.0',
  'local-dep': 'file:vendor/local-dep',
}

function env(registryUrl = served.url) {
  return {
    npm_config_registry: registryUrl,
    DEVSETUP_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'devsetup-cache-')),
    PATH: '/usr/bin:/bin',
  }
}

describe("exact pins' engines.node", () => {
  it('a pin needing a newer node than this one: unmet, naming the package, its line and what it needs; then from the cache', async () => {
    const dir = tempRepo({
      'package.json': manifest(pinned),
      'devsetup.yml': 'version: 1\nsteps:\n  - runtime: node\n',
    })
    const options = { cwd: dir, env: env() }
    const doctor = await runCli(['doctor'], options)
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(1)
    expect(doctor.stdout).toContain(
      `strict-dep@8.1.0 (package.json:10; engines.node ${newer} of that version in the registry)`,
    )
    expect(doctor.stdout).toContain(`wants >=${major + 2}.19.0`)
    expect(served.asked).toEqual(
      expect.arrayContaining(['/strict-dep/8.1.0', '/easy-dep/1.0.0', '/@scope/old-dep/2.0.0']),
    )
    // A range and a local package are not the registry's to answer.
    expect(served.asked.some((url) => url.includes('ranged-dep') || url.includes('local-dep'))).toBe(false)
    const before = served.asked.length
    const again = await runCli(['doctor'], options)
    expect(again.stdout).toContain(`wants >=${major + 2}.19.0`)
    expect(served.asked.length).toBe(before)
  })

  it('pins this node runs: met', async () => {
    const dir = tempRepo({
      'package.json': manifest({ 'easy-dep': '1.0.0', 'missing-dep': '9.9.9' }),
      'devsetup.yml': 'version: 1\nsteps:\n  - runtime: node\n',
    })
    const doctor = await runCli(['doctor'], { cwd: dir, env: env() })
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0)
    expect(served.asked).toContain('/missing-dep/9.9.9')
  })

  it('a lockfile changes nothing: an exact pin is installed as written with one or without', async () => {
    const dir = tempRepo({
      'package.json': manifest({ 'strict-dep': '8.1.0' }),
      'package-lock.json': JSON.stringify({ name: 'app', lockfileVersion: 3, packages: {} }),
      'devsetup.yml': 'version: 1\nsteps:\n  - runtime: node\n',
    })
    const doctor = await runCli(['doctor'], { cwd: dir, env: env() })
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(1)
    expect(doctor.stdout).toContain(`wants >=${major + 2}.19.0`)
  })

  it('a range yarn.lock locks (Berry or classic: it records no engines) is asked at its locked version', async () => {
    for (const lock of [
      '__metadata:\n  version: 8\n\n"@orm/core@npm:^7.1.0":\n  version: 7.1.11\n  resolution: "@orm/core@npm:7.1.11"\n',
      '# yarn lockfile v1\n\n"@orm/core@^7.1.0", "@orm/core@^7.0.0":\n  version "7.1.11"\n',
    ]) {
      const dir = tempRepo({
        'package.json': manifest({ '@orm/core': '^7.1.0', 'easy-dep': '1.0.0' }),
        'yarn.lock': lock,
        'devsetup.yml': 'version: 1\nsteps:\n  - runtime: node\n',
      })
      const doctor = await runCli(['doctor'], { cwd: dir, env: env() })
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(1)
      expect(doctor.stdout).toContain(`@orm/core@7.1.11 (package.json:8; engines.node ${newer}`)
    }
    // Against the repository's own pin (.nvmrc: this node), a locked range yields: Berry does not
    // enforce engines, and the app may run anyway.
    const pinnedHere = tempRepo({
      'package.json': manifest({ '@orm/core': '^7.1.0' }),
      'yarn.lock': '"@orm/core@npm:^7.1.0":\n  version: 7.1.11\n',
      '.nvmrc': `${machineNode}\n`,
      'devsetup.yml': 'version: 1\nsteps:\n  - runtime: node\n',
    })
    const kept = await runCli(['doctor'], { cwd: pinnedHere, env: { ...env(), PATH: process.env.PATH! } })
    expect(kept.code, kept.stdout + kept.stderr).toBe(0)
  })

  it('`version: file:install/package.json` (a template the app copies to its root) is read with its pins', async () => {
    const dir = tempRepo({
      'install/package.json': manifest({ 'strict-dep': '8.1.0' }),
      'devsetup.yml':
        'version: 1\nsteps:\n  - runtime: { name: node, version: "file:install/package.json" }\n',
    })
    const doctor = await runCli(['doctor'], { cwd: dir, env: env() })
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(1)
    expect(doctor.stdout).toContain(`strict-dep@8.1.0 (install/package.json:8;`)
  })

  it('a registry that does not answer is no requirement', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as { port: number }).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const dir = tempRepo({
      'package.json': manifest(pinned),
      'devsetup.yml': 'version: 1\nsteps:\n  - runtime: node\n',
    })
    const doctor = await runCli(['doctor'], { cwd: dir, env: env(`http://127.0.0.1:${port}/`) })
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0)
  })
})
