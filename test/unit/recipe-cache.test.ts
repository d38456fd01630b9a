// The recipe cache (src/recipe/cache.ts): a kept parse reads back exactly as parsed, and
// anything the parse depends on (the text, a variable it looked up however it was spelled,
// devsetup's build, where it is shown from, the file it came from) makes a miss, as does a
// file that is not a cache entry. The file is the user's alone.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheSlot, readCachedRecipe, usedVariables, writeCachedRecipe } from '../../src/recipe/cache.js'
import { parseRecipeText } from '../../src/recipe/parse.js'
import { stepTypes } from '../../src/steps/index.js'
import { repoRoot } from '../helpers.js'

const build = 'test-build-1'
const file = '/repo/devsetup.yml'
const stateDir = () => mkdtempSync(path.join(tmpdir(), 'devsetup-cache-'))

function slotFor(dir: string, text: string, buildId = build, display = 'devsetup.yml', recipeFile = file) {
  const slot = cacheSlot(dir, recipeFile, display, text, buildId)
  if (!slot) throw new Error('no slot')
  return slot
}

/** Parses (collecting the variables looked up) and keeps it in `dir`. */
async function keep(dir: string, text: string, env: NodeJS.ProcessEnv = {}) {
  const used = new Set<string>()
  const recipe = await parseRecipeText(file, text, env, undefined, used)
  const kept = writeCachedRecipe(slotFor(dir, text), recipe, usedVariables(used, env), stepTypes)
  return { recipe, kept }
}

async function roundTrip(text: string, env: NodeJS.ProcessEnv = {}) {
  const dir = stateDir()
  const { recipe, kept } = await keep(dir, text, env)
  return { recipe, kept, back: readCachedRecipe(slotFor(dir, text), env, stepTypes), dir }
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
      - { run: mkdir -p log, creates: log, timeout: 5m, retries: 2, optional: true, env: { A: 1, stepType: x } }
  - cleanup: { paths: [log/*.log, tmp/cache], older_than: 7d, keep: [log/.keep] }
  - restart: { touch: tmp/restart.txt }
`

describe('recipe cache', () => {
  it('a recipe of every step type reads back exactly as parsed (undefined config values included)', async () => {
    const { recipe, kept, back, dir } = await roundTrip(everyType)
    expect(kept).toBe(true)
    expect(back).toStrictEqual(recipe)
    expect(back!.items[0]).toHaveProperty('stepType', stepTypes.get('runtime'))
    // Interpolated values may be secrets: the file is the user's alone.
    expect(statSync(slotFor(dir, everyType).file).mode & 0o777).toBe(0o600)
  })

  it('the bundled example and every shipped recipe can be kept', async () => {
    const files = [
      path.join(repoRoot, 'examples', 'app', 'devsetup.yml'),
      ...readdirSync(path.join(repoRoot, 'recipes')).map((f) => path.join(repoRoot, 'recipes', f)),
    ].filter((f) => f.endsWith('.yml'))
    expect(files.length).toBeGreaterThan(1)
    for (const recipeFile of files) {
      const { recipe, kept, back } = await roundTrip(readFileSync(recipeFile, 'utf8'), { HOME: '/home/u' })
      expect(kept, recipeFile).toBe(true)
      expect(back, recipeFile).toStrictEqual(recipe)
    }
  })

  it('misses when a variable it looked up changes, however the recipe spelled it; not for others', async () => {
    // `\x24{…}` and an escaped line break become `${…}` only once YAML has decoded the string.
    const text =
      'version: 1\nsteps:\n  - run: "echo \\x24{GREETING:-hi}"\n  - run: "echo $\\\n      {TARGET}"\n'
    const dir = stateDir()
    const env = { GREETING: 'hello', TARGET: 'dev', OTHER: '1' }
    const { recipe, kept } = await keep(dir, text, env)
    expect(kept).toBe(true)
    expect(recipe.items.map((i) => (i.kind === 'step' ? (i.config as { run: string }).run : ''))).toEqual([
      'echo hello',
      'echo dev',
    ])
    const slot = slotFor(dir, text)
    expect(readCachedRecipe(slot, env, stepTypes)).toBeDefined()
    expect(readCachedRecipe(slot, { ...env, OTHER: '2' }, stepTypes)).toBeDefined()
    expect(readCachedRecipe(slot, { ...env, GREETING: 'hey' }, stepTypes)).toBeUndefined()
    expect(readCachedRecipe(slot, { ...env, TARGET: 'test' }, stepTypes)).toBeUndefined()
    expect(readCachedRecipe(slot, { TARGET: 'dev', OTHER: '1' }, stepTypes)).toBeUndefined()
  })

  it('keeps no interpolated value, only hashes and references; a value read back from the environment', async () => {
    const token = `ghp_${'Zq7'.repeat(12)}`
    const text =
      'version: 1\nsteps:\n  - name: "Push \x24{GH_TOKEN}"\n    run: "git push https://x:\x24{GH_TOKEN}@h/r \x24{HOST} \x24{N}"\n'
    const env = { GH_TOKEN: token, HOST: 'db.internal.example', N: '42' }
    const { recipe, kept, back, dir } = await roundTrip(text, env)
    expect(kept).toBe(true)
    expect(back).toStrictEqual(recipe)
    expect((recipe.items[0] as { config: { run: string } }).config.run).toContain(token)
    const stored = readFileSync(slotFor(dir, text).file, 'utf8')
    expect(stored).not.toContain(token)
    expect(stored).not.toContain('db.internal.example')
    // Too short to matter, and replacing every `42` would bloat the file: kept as written.
    expect(stored).toContain(' 42')
    expect(readCachedRecipe(slotFor(dir, text), { ...env, GH_TOKEN: `${token}x` }, stepTypes)).toBeUndefined()
  })

  it('misses for other text, another build, another shown path or another file', async () => {
    const text = 'version: 1\nsteps:\n  - run: echo hi\n'
    const dir = stateDir()
    expect((await keep(dir, text)).kept).toBe(true)
    expect(readCachedRecipe(slotFor(dir, text), {}, stepTypes)).toBeDefined()
    expect(readCachedRecipe(slotFor(dir, `${text}# edited\n`), {}, stepTypes)).toBeUndefined()
    expect(readCachedRecipe(slotFor(dir, text, 'test-build-2'), {}, stepTypes)).toBeUndefined()
    expect(readCachedRecipe(slotFor(dir, text, build, 'sub/../devsetup.yml'), {}, stepTypes)).toBeUndefined()
    // Unbundled (no build id): no cache at all.
    expect(cacheSlot(dir, file, 'devsetup.yml', text, undefined)).toBeUndefined()
    // A stored recipe of another file is refused even under a matching key.
    const slot = slotFor(dir, text)
    const stored = JSON.parse(readFileSync(slot.file, 'utf8'))
    writeFileSync(slot.file, JSON.stringify({ ...stored, recipe: { ...stored.recipe, root: '/elsewhere' } }))
    expect(readCachedRecipe(slot, {}, stepTypes)).toBeUndefined()
  })

  it('a value JSON cannot hold is not kept (no cache rather than a wrong one)', async () => {
    // `-0` is a valid number of retries, and JSON writes it as 0.
    const { kept, back } = await roundTrip('version: 1\nsteps:\n  - { run: echo, retries: -0 }\n')
    expect(kept).toBe(false)
    expect(back).toBeUndefined()
  })

  it('a damaged file, a foreign one, or an unknown step type is a miss', async () => {
    const text = 'version: 1\nsteps:\n  - run: echo hi\n'
    const { dir, kept } = await roundTrip(text)
    expect(kept).toBe(true)
    const slot = slotFor(dir, text)
    const stored = JSON.parse(readFileSync(slot.file, 'utf8'))
    writeFileSync(
      slot.file,
      JSON.stringify({ ...stored, recipe: { ...stored.recipe, items: [{ kind: 'step', type: 'nope' }] } }),
    )
    expect(readCachedRecipe(slot, {}, stepTypes)).toBeUndefined()
    writeFileSync(slot.file, '{"key": "')
    expect(readCachedRecipe(slot, {}, stepTypes)).toBeUndefined()
    writeFileSync(slot.file, JSON.stringify({ key: slot.key, variables: [], recipe: { items: 'x' } }))
    expect(readCachedRecipe(slot, {}, stepTypes)).toBeUndefined()
  })
})
