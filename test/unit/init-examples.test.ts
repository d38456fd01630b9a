// Every init provider's example apps (examples/init/<provider>/<app>/), and the recipe init
// writes for each, kept beside it as a reviewed snapshot (<app>.recipe.yml), as railpack keeps
// a plan snapshot per example. The machine is left out: init asks no port, and no Docker engine
// runs, so a snapshot is the same on every machine. After a deliberate change:
//   UPDATE_SNAPSHOTS=1 npx vitest run test/unit/init-examples.test.ts   (then review git diff)
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { schemaComment } from '../../src/commands/schema.js'
import { planInit } from '../../src/init/plan.js'
import { providers } from '../../src/init/providers/index.js'
import { parseRecipe } from '../../src/recipe/parse.js'
import { repoRoot } from '../helpers.js'

const root = path.join(repoRoot, 'examples', 'init')
const isDir = (p: string) => statSync(p).isDirectory()
const examples = readdirSync(root)
  .filter((provider) => isDir(path.join(root, provider)))
  .flatMap((provider) =>
    readdirSync(path.join(root, provider))
      .filter((app) => isDir(path.join(root, provider, app)))
      .map((app) => ({ provider, app, dir: path.join(root, provider, app) })),
  )

const plan = (dir: string) =>
  planInit(dir, {
    schemaLine: schemaComment,
    command: 'devsetup',
    dockerRuns: () => false,
  })

describe('init examples and their reviewed recipes', () => {
  it('every provider in the registry has an example folder, and every folder names a provider', () => {
    const names = providers.map((p) => p.name)
    const folders = readdirSync(root).filter((f) => isDir(path.join(root, f)))
    // Providers every app meets (runtimes, dotenv, ...) are shown by the framework examples.
    const generic = [
      'runtimes',
      'dotenv',
      'dependencies',
      'compose',
      'cleanup',
      'brewfile',
      'native-gems',
      'config-examples',
      'bin-setup',
    ]
    expect(names.filter((n) => !generic.includes(n) && !folders.includes(n))).toEqual([])
    expect(folders.filter((f) => !names.includes(f))).toEqual([])
  })

  it('every provider is detected by at least one example', async () => {
    const seen = new Set<string>()
    for (const { dir } of examples) for (const name of (await plan(dir)).detection.providers) seen.add(name)
    expect(providers.map((p) => p.name).filter((n) => !seen.has(n))).toEqual([])
  })

  for (const { provider, app, dir } of examples) {
    it(`${provider}/${app}: detected by ${provider}, and init writes the reviewed recipe`, async () => {
      const { detection, rendered } = await plan(dir)
      expect(detection.providers).toContain(provider)
      // The recipe must load exactly as `validate` loads it.
      expect(() => parseRecipe(path.join(dir, 'devsetup.yml'), rendered.text, {})).not.toThrow()
      const snapshot = `${dir}.recipe.yml`
      if (process.env.UPDATE_SNAPSHOTS === '1') {
        writeFileSync(snapshot, rendered.text)
        return
      }
      // A missing snapshot is written, and the test fails: nobody has reviewed it yet.
      if (!existsSync(snapshot)) {
        writeFileSync(snapshot, rendered.text)
        expect.fail(`${path.relative(repoRoot, snapshot)} written: review it, then run again`)
      }
      expect(rendered.text).toBe(readFileSync(snapshot, 'utf8'))
    })
  }
})
