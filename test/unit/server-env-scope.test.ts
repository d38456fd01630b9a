// `${VAR}` from the env files a restart step names in `env_files:` (src/recipe/server-env-scope.ts):
// every step reads them, after the shell, the recipe's `env:` and the dotenv steps' files; the
// first listed file that sets a key wins, the last definition in a file. The recipe cache misses
// when one changes and never stores a value read from one. Real files in a real folder.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { RecipeError } from '../../src/errors.js'
import { cacheSlot, readCachedRecipe, usedVariables, writeCachedRecipe } from '../../src/recipe/cache.js'
import { EnvFileReads } from '../../src/recipe/env-file-scope.js'
import { parseRecipeText } from '../../src/recipe/parse.js'
import { allSteps, type Recipe } from '../../src/recipe/types.js'
import { stepTypes } from '../../src/steps/index.js'

function repo(files: Record<string, string>) {
  const root = mkdtempSync(path.join(tmpdir(), 'devsetup-srvscope-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    writeFileSync(path.join(root, name), text)
  }
  return {
    root,
    file: path.join(root, 'devsetup.yml'),
    stateDir: mkdtempSync(path.join(tmpdir(), 'devsetup-st-')),
  }
}
type Repo = ReturnType<typeof repo>

/** A recipe whose database step (before the restart) reads DATABASE_URL; `extra` goes at the top of `steps:`. */
const recipeWith = (envFiles: string, { top = '', extra = '', cwd = '' } = {}) => `version: 1
${top}steps:
${extra}  - database: { url: "\${DATABASE_URL}", migrate: make migrate }
  - restart:
      start: node server.js
      env_files: ${envFiles}
${cwd ? `    cwd: ${cwd}\n` : ''}`

async function parse(r: Repo, text: string, env: NodeJS.ProcessEnv = {}) {
  const used = new Set<string>()
  const reads = new EnvFileReads()
  const recipe = await parseRecipeText(r.file, text, env, undefined, used, reads)
  const slot = cacheSlot(r.stateDir, r.file, 'devsetup.yml', text, 'test-build-env')!
  writeCachedRecipe(slot, recipe, usedVariables(used, env), stepTypes, reads)
  return { recipe, slot }
}

const urlOf = (recipe: Recipe) =>
  (allSteps(recipe).find((s) => s.type === 'database')!.config as { target: { url: string } }).target.url

async function problemsOf(r: Repo, text: string) {
  try {
    await parse(r, text)
  } catch (error) {
    if (error instanceof RecipeError) return error.problems
    throw error
  }
  throw new Error('no problem')
}

const url = (db: string) => `postgres://app:Srv7Secret@127.0.0.1:5433/${db}`

describe("${VAR} from a restart step's env_files", () => {
  it('a step before the restart reads the file the server loads (the last definition in it)', async () => {
    const r = repo({ 'configs/.env': `DATABASE_URL=${url('first')}\nDATABASE_URL=${url('app_dev')}\n` })
    expect(urlOf((await parse(r, recipeWith('configs/.env'))).recipe)).toBe(url('app_dev'))
  })

  it("the path is relative to the restart's cwd", async () => {
    const r = repo({ 'api/configs/.env': `DATABASE_URL=${url('api_dev')}\n` })
    expect(urlOf((await parse(r, recipeWith('configs/.env', { cwd: 'api' }))).recipe)).toBe(url('api_dev'))
  })

  it("the shell and the recipe's env: win over the file, as for the app", async () => {
    const r = repo({ 'configs/.env': `DATABASE_URL=${url('file_db')}\n` })
    const text = recipeWith('configs/.env')
    expect(urlOf((await parse(r, text, { DATABASE_URL: url('shell_db') })).recipe)).toBe(url('shell_db'))
    const own = recipeWith('configs/.env', { top: `env:\n  DATABASE_URL: ${url('recipe_db')}\n` })
    expect(urlOf((await parse(r, own)).recipe)).toBe(url('recipe_db'))
    // A recipe default is the recipe's: it overrides the file (a compose host there), as init writes it.
    const fallback = recipeWith('configs/.env', {
      top: `env:\n  DATABASE_URL: \${DATABASE_URL:-${url('recipe_default')}}\n`,
    })
    const parsed = (await parse(r, fallback)).recipe
    expect(parsed.env.DATABASE_URL).toBe(url('recipe_default'))
    expect(urlOf(parsed)).toBe(url('recipe_default'))
  })

  it("the first listed file that sets a key wins (Next's most specific first); a missing one is skipped", async () => {
    const r = repo({
      '.env.development.local': `DATABASE_URL=${url('local_db')}\n`,
      '.env.development': `DATABASE_URL=${url('dev_db')}\nOTHER=1\n`,
    })
    const list = '[.env.local, .env.development.local, .env.development]'
    expect(urlOf((await parse(r, recipeWith(list))).recipe)).toBe(url('local_db'))
    expect(urlOf((await parse(r, recipeWith('[.env.development, .env.development.local]'))).recipe)).toBe(
      url('dev_db'),
    )
  })

  it("a dotenv step's file wins over them for the steps after it", async () => {
    const r = repo({
      '.env.example': `DATABASE_URL=${url('example_db')}\n`,
      'configs/.env': `DATABASE_URL=${url('server_db')}\n`,
    })
    const text = recipeWith('configs/.env', { extra: '  - dotenv\n' })
    expect(urlOf((await parse(r, text)).recipe)).toBe(url('example_db'))
  })

  it('a key no file sets: the problem names the files looked in', async () => {
    const r = repo({ 'configs/.env': 'PORT=3000\n' })
    const [problem] = await problemsOf(r, recipeWith('configs/.env'))
    expect(problem!.message).toMatch(
      /undefined variable `DATABASE_URL`.*configs\/\.env \(the `env_files:` of the restart step at line 4\)/,
    )
    expect(problem!.hint).toMatch(/add DATABASE_URL to configs\/\.env/)
  })

  it('`$NAME` in a value is expanded as dotenv-expand does (the shell first); an unknown name leaves it as written', async () => {
    const r = repo({
      '.env.development':
        'PGHOST=localhost\nPGUSER=notes\nPGPASSWORD=notes_Secret9\nDATABASE_URL=postgres://$PGUSER:${PGPASSWORD}@$PGHOST:${PGPORT:-5432}/notes_board\n',
    })
    const text = recipeWith('.env.development')
    const { recipe, slot } = await parse(r, text)
    expect(urlOf(recipe)).toBe('postgres://notes:notes_Secret9@localhost:5432/notes_board')
    expect(urlOf((await parse(r, text, { PGHOST: '127.0.0.1' })).recipe)).toBe(
      'postgres://notes:notes_Secret9@127.0.0.1:5432/notes_board',
    )
    // Kept by the first parse's slot: a hit gives the same URL back, and the cache holds no password.
    const again = await parse(r, text)
    expect(readCachedRecipe(again.slot, {}, stepTypes)).toStrictEqual(again.recipe)
    expect(readFileSync(slot.file, 'utf8')).not.toContain('notes_Secret9')
    const odd = repo({ 'configs/.env': 'DATABASE_URL=postgres://app:pa$word@127.0.0.1/odd_db\n' })
    expect(urlOf((await parse(odd, recipeWith('configs/.env'))).recipe)).toBe(
      'postgres://app:pa$word@127.0.0.1/odd_db',
    )
  })

  it('the cache: a changed file is a miss and the new value is read; neither the URL nor its password is stored', async () => {
    const r = repo({ 'configs/.env': `DATABASE_URL=${url('first_db')}\n` })
    const text = recipeWith('configs/.env')
    const { recipe, slot } = await parse(r, text)
    expect(readCachedRecipe(slot, {}, stepTypes)).toStrictEqual(recipe)
    const stored = readFileSync(slot.file, 'utf8')
    // The URL is a reference to the file's key, and so is the password the step parsed from it.
    expect(stored).not.toContain('Srv7Secret')

    writeFileSync(path.join(r.root, 'configs/.env'), `DATABASE_URL=${url('second_db')}\n`)
    expect(readCachedRecipe(slot, {}, stepTypes)).toBeUndefined()
    expect(urlOf((await parse(r, text)).recipe)).toBe(url('second_db'))
  })
})
