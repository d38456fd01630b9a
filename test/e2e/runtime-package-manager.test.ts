// `runtime: node` asks what the repository's `packageManager` release needs: its engines.node
// in the registry corepack downloads it from (here a real HTTP server the test starts, named by
// npm_config_registry as npm's config names it). A release needing a newer node than this
// machine's leaves the step unmet and says why; one content with it is met; a .nvmrc that no version of
// both can satisfy is a problem naming both. The answer is kept in devsetup's cache: a published
// version's document never changes, so the next check asks no registry.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { registryDocumentsDuringTests } from './registry-documents.js'

// pnpm 11.15.1 really needs >=22.13 and pnpm 9 >=18.12; the documents served say "newer than
// the node running the test" and "older", so the test means the same on any machine.
const machineNode = process.versions.node
const major = Number(machineNode.split('.')[0])
const newer = `>=${major + 2}.13`
const documents: Record<string, unknown> = {
  '/pnpm/11.15.1': { name: 'pnpm', version: '11.15.1', engines: { node: newer } },
  '/pnpm/9.15.0': { name: 'pnpm', version: '9.15.0', engines: { node: `>=${major - 2}.12` } },
}
const served = registryDocumentsDuringTests(documents)

function repo(packageManager: string, files: Record<string, string> = {}) {
  return tempRepo({
    'package.json': JSON.stringify({ name: 'app', private: true, packageManager }, null, 2),
    'devsetup.yml': 'version: 1\nsteps:\n  - runtime: node\n',
    ...files,
  })
}

function env() {
  return {
    npm_config_registry: served.url,
    COREPACK_NPM_REGISTRY: undefined,
    DEVSETUP_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'devsetup-cache-')),
    PATH: '/usr/bin:/bin',
  }
}

describe("the packageManager release's engines.node", () => {
  it('a release needing a newer node than this one: unmet, naming the release, where it is pinned and what it needs; then from the cache', async () => {
    const dir = repo('pnpm@11.15.1+sha512.0123abcd')
    const options = { cwd: dir, env: env() }
    const doctor = await runCli(['doctor'], options)
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(1)
    expect(doctor.stdout).toContain(
      `node ${machineNode} found, pnpm@11.15.1 (package.json:4 packageManager; engines.node of its release in the registry) wants ${newer}`,
    )
    expect(served.asked).toContain('/pnpm/11.15.1')
    const before = served.asked.length
    const again = await runCli(['doctor'], options)
    expect(again.stdout).toContain(`wants ${newer}`)
    expect(served.asked.length).toBe(before)
  })

  it('a release content with this node: met, and says so', async () => {
    const doctor = await runCli(['doctor'], { cwd: repo('pnpm@9.15.0'), env: env() })
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0)
    expect(doctor.stdout).toContain(`node ${machineNode} (pnpm@9.15.0 (package.json:4 packageManager`)
  })

  it('a .nvmrc no version of which the release runs on is a problem naming both', async () => {
    const doctor = await runCli(['doctor'], {
      cwd: repo('pnpm@11.15.1', { '.nvmrc': `${major}\n` }),
      env: env(),
    })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain(
      `.nvmrc wants node ${major}, but pnpm@11.15.1 (package.json:4 packageManager; engines.node of its release in the registry) needs node ${newer}: no version satisfies both`,
    )
  })

  it('a release the registry does not have is no requirement (corepack will say it cannot download it)', async () => {
    const doctor = await runCli(['doctor'], { cwd: repo('pnpm@8.0.0'), env: env() })
    expect(doctor.code, doctor.stdout).toBe(0)
    expect(served.asked).toContain('/pnpm/8.0.0')
  })
})
