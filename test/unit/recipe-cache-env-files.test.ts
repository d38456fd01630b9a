// The recipe cache (src/recipe/cache.ts) when a step's `${VAR}` came from the env file of an
// earlier dotenv step (src/recipe/env-file-scope.ts): a change to such a file is a miss, an
// unchanged one a hit, and no value read from one is ever stored in the cache file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheSlot, readCachedRecipe, usedVariables, writeCachedRecipe } from '../../src/recipe/cache.js'
import { EnvFileReads } from '../../src/recipe/env-file-scope.js'
import { parseRecipeText } from '../../src/recipe/parse.js'
import { allSteps, type Recipe } from '../../src/recipe/types.js'
import { stepTypes } from '../../src/steps/index.js'

const text = `version: 1
steps:
  - dotenv: { from: .env.example, required: DB_NAME }
  - database: { url: "postgres://app:\${DB_PASSWORD}@127.0.0.1:5432/\${DB_NAME}", migrate: make migrate }
  - run: echo \${DB_HOST}
    creates: x
`

function repo(files: Record<string, string>) {
  const root = mkdtempSync(path.join(tmpdir(), 'devsetup-cache-env-'))
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(root, name), content)
  return {
    root,
    file: path.join(root, 'devsetup.yml'),
    stateDir: mkdtempSync(path.join(tmpdir(), 'devsetup-st-')),
  }
}

type Repo = ReturnType<typeof repo>
const slotOf = (r: Repo) => cacheSlot(r.stateDir, r.file, 'devsetup.yml', text, 'test-build-env')!

/** Parses as `up` does (collecting variables and env files) and keeps the parse. */
async function parseAndKeep(r: Repo, env: NodeJS.ProcessEnv = {}) {
  const used = new Set<string>()
  const reads = new EnvFileReads()
  const recipe = await parseRecipeText(r.file, text, env, undefined, used, reads)
  const kept = writeCachedRecipe(slotOf(r), recipe, usedVariables(used, env), stepTypes, reads)
  return { recipe, kept }
}

const urlOf = (recipe: Recipe) => (allSteps(recipe)[1]!.config as { target: { url: string } }).target.url

const example = 'DB_NAME=example_db\nDB_PASSWORD=\nDB_HOST=localhost\n'

describe('recipe cache: values read from env files', () => {
  it('an edited .env is a miss and the new parse sees the new value; an unchanged one is a hit', async () => {
    const r = repo({
      '.env.example': example,
      '.env': 'DB_NAME=first_db\nDB_PASSWORD=Pw9uRlPass\nDB_HOST=db.internal\n',
    })
    const first = await parseAndKeep(r)
    expect(first.kept).toBe(true)
    expect(urlOf(first.recipe)).toBe('postgres://app:Pw9uRlPass@127.0.0.1:5432/first_db')
    const hit = readCachedRecipe(slotOf(r), {}, stepTypes)
    expect(hit).toStrictEqual(first.recipe)

    writeFileSync(
      path.join(r.root, '.env'),
      'DB_NAME=second_db\nDB_PASSWORD=Pw9uRlPass\nDB_HOST=db.internal\n',
    )
    expect(readCachedRecipe(slotOf(r), {}, stepTypes)).toBeUndefined()
    const second = await parseAndKeep(r)
    expect(urlOf(second.recipe)).toBe('postgres://app:Pw9uRlPass@127.0.0.1:5432/second_db')
    expect(readCachedRecipe(slotOf(r), {}, stepTypes)).toStrictEqual(second.recipe)
  })

  it('the cache file holds no value read from .env, only the files, hashes and references', async () => {
    const r = repo({
      '.env.example': example,
      '.env': 'DB_NAME=first_db\nDB_PASSWORD=Pw9uRlPass\nDB_HOST=db.internal\n',
    })
    await parseAndKeep(r)
    const stored = readFileSync(slotOf(r).file, 'utf8')
    for (const value of ['first_db', 'Pw9uRlPass', 'db.internal']) expect(stored).not.toContain(value)
    expect(stored).toContain(path.join(r.root, '.env'))
  })

  it('a value the example gave (no .env yet) goes stale once .env exists: a miss, then its value', async () => {
    const r = repo({ '.env.example': example })
    const first = await parseAndKeep(r)
    expect(urlOf(first.recipe)).toBe('postgres://app:@127.0.0.1:5432/example_db')
    expect(readCachedRecipe(slotOf(r), {}, stepTypes)).toStrictEqual(first.recipe)
    writeFileSync(path.join(r.root, '.env'), 'DB_NAME=own_db\nDB_PASSWORD=\nDB_HOST=localhost\n')
    expect(readCachedRecipe(slotOf(r), {}, stepTypes)).toBeUndefined()
    // The example changed, the .env did not: a miss too (its values were read from there).
    const second = await parseAndKeep(r)
    expect(urlOf(second.recipe)).toBe('postgres://app:@127.0.0.1:5432/own_db')
    writeFileSync(path.join(r.root, '.env.example'), `${example}EXTRA=1\n`)
    expect(readCachedRecipe(slotOf(r), {}, stepTypes)).toBeUndefined()
  })

  it('a deleted .env is a miss; a variable the shell sets reads no file', async () => {
    const r = repo({ '.env.example': example, '.env': 'DB_NAME=first_db\nDB_PASSWORD=x\nDB_HOST=h1\n' })
    await parseAndKeep(r)
    rmSync(path.join(r.root, '.env'))
    expect(readCachedRecipe(slotOf(r), {}, stepTypes)).toBeUndefined()
    const env = { DB_NAME: 'shell_db', DB_PASSWORD: 'pw', DB_HOST: 'shellhost' }
    const { recipe } = await parseAndKeep(r, env)
    expect(urlOf(recipe)).toBe('postgres://app:pw@127.0.0.1:5432/shell_db')
    // No file was read: any change to .env leaves the parse as it is.
    writeFileSync(path.join(r.root, '.env'), 'DB_NAME=other\n')
    expect(readCachedRecipe(slotOf(r), env, stepTypes)).toStrictEqual(recipe)
  })
})
