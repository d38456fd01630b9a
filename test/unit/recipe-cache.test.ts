// The recipe cache (src/recipe/cache.ts): a kept parse reads back exactly as parsed, and
// anything the parse depends on (the text, a variable it names, devsetup's build, where it is
// shown from) makes a miss, as does a file that is not a cache entry.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheSlot, readCachedRecipe, writeCachedRecipe } from '../../src/recipe/cache.js'
import { parseRecipe } from '../../src/recipe/parse.js'
import { stepTypes } from '../../src/steps/index.js'
import { repoRoot } from '../helpers.js'

const build = 'test-build-1'
const stateDir = () => mkdtempSync(path.join(tmpdir(), 'devsetup-cache-'))

function slotFor(
  dir: string,
  text: string,
  env: NodeJS.ProcessEnv = {},
  buildId = build,
  display = 'devsetup.yml',
) {
  const slot = cacheSlot(dir, '/repo/devsetup.yml', display, text, env, buildId)
  if (!slot) throw new Error('no slot')
  return slot
}

/** Parses, keeps, and reads back through the cache. */
function roundTrip(text: string, env: NodeJS.ProcessEnv = {}) {
  const dir = stateDir()
  const recipe = parseRecipe('/repo/devsetup.yml', text, env)
  const slot = slotFor(dir, text, env)
  const kept = writeCachedRecipe(slot, recipe, stepTypes)
  return { recipe, kept, back: readCachedRecipe(slot, stepTypes), dir }
}

const everyType = `version: 1
env: { PORT: "\${PORT:-4310}" }
steps:
  - runtime: node@20
  - dotenv: { from: .env.example, generate: [SECRET], set: { HOST: 127.0.0.1 } }
  - dependencies
  - dependencies: { manager: pip, requirements: [requirements.txt] }
  - packages: { apt: [libpq-dev], brew: [postgresql@16] }
  - service: { engine: postgres, version: 16 }
  - database: { url: "postgres://app@127.0.0.1:5432/app", migrate: "make migrate", seed: "make seed" }
  - parallel:
      - { name: Build, run: make, inputs: [src/*.c], creates: out/app, if: { platform: macos } }
      - { run: mkdir -p log, creates: log, timeout: 5m, retries: 2, optional: true, env: { A: 1 } }
  - cleanup: { paths: [log/*.log, tmp/cache], older_than: 7d, keep: [log/.keep] }
  - restart: { touch: tmp/restart.txt }
`

describe('recipe cache', () => {
  it('a recipe of every step type reads back exactly as parsed (undefined config values included)', () => {
    const { recipe, kept, back } = roundTrip(everyType)
    expect(kept).toBe(true)
    expect(back).toStrictEqual(recipe)
    expect(back!.items[0]).toHaveProperty('stepType', stepTypes.get('runtime'))
  })

  it('the bundled example and every shipped recipe can be kept', () => {
    const files = [
      path.join(repoRoot, 'examples', 'app', 'devsetup.yml'),
      ...readdirSync(path.join(repoRoot, 'recipes')).map((f) => path.join(repoRoot, 'recipes', f)),
    ].filter((f) => f.endsWith('.yml'))
    expect(files.length).toBeGreaterThan(1)
    for (const file of files) {
      const { recipe, kept, back } = roundTrip(readFileSync(file, 'utf8'), { HOME: '/home/u' })
      expect(kept, file).toBe(true)
      expect(back, file).toStrictEqual(recipe)
    }
  })

  it('misses when the text, a variable it names, the build or the shown path differ; not for other variables', () => {
    const text = 'version: 1\nsteps:\n  - run: echo ${GREETING:-hi}\n'
    const dir = stateDir()
    const env = { GREETING: 'hello', OTHER: '1' }
    expect(
      writeCachedRecipe(slotFor(dir, text, env), parseRecipe('/repo/devsetup.yml', text, env), stepTypes),
    ).toBe(true)
    expect(readCachedRecipe(slotFor(dir, text, env), stepTypes)).toBeDefined()
    expect(readCachedRecipe(slotFor(dir, text, { ...env, OTHER: '2' }), stepTypes)).toBeDefined()
    expect(readCachedRecipe(slotFor(dir, text, { ...env, GREETING: 'hey' }), stepTypes)).toBeUndefined()
    expect(readCachedRecipe(slotFor(dir, text, { OTHER: '1' }), stepTypes)).toBeUndefined()
    expect(readCachedRecipe(slotFor(dir, `${text}# edited\n`, env), stepTypes)).toBeUndefined()
    expect(readCachedRecipe(slotFor(dir, text, env, 'test-build-2'), stepTypes)).toBeUndefined()
    expect(readCachedRecipe(slotFor(dir, text, env, build, 'sub/../devsetup.yml'), stepTypes)).toBeUndefined()
    // Unbundled (no build id): no cache at all.
    expect(cacheSlot(dir, '/repo/devsetup.yml', 'devsetup.yml', text, env, undefined)).toBeUndefined()
  })

  it('a value JSON cannot hold is not kept (no cache rather than a wrong one)', () => {
    // `-0` is a valid number of retries, and JSON writes it as 0.
    const { kept, back } = roundTrip('version: 1\nsteps:\n  - { run: echo, retries: -0 }\n')
    expect(kept).toBe(false)
    expect(back).toBeUndefined()
  })

  it('a damaged file, a foreign one, or an unknown step type is a miss', () => {
    const text = 'version: 1\nsteps:\n  - run: echo hi\n'
    const { dir, kept } = roundTrip(text)
    expect(kept).toBe(true)
    const slot = slotFor(dir, text)
    const stored = JSON.parse(readFileSync(slot.file, 'utf8'))
    writeFileSync(
      slot.file,
      JSON.stringify({ ...stored, recipe: { ...stored.recipe, items: [{ kind: 'step', type: 'nope' }] } }),
    )
    expect(readCachedRecipe(slot, stepTypes)).toBeUndefined()
    writeFileSync(slot.file, '{"key": "')
    expect(readCachedRecipe(slot, stepTypes)).toBeUndefined()
    writeFileSync(slot.file, JSON.stringify({ key: slot.key, recipe: { items: 'x' } }))
    expect(readCachedRecipe(slot, stepTypes)).toBeUndefined()
  })
})
