// A step after a `dotenv` step reads `${VAR}` from the env file that step manages, as the file
// will be once the step has run (src/recipe/env-file-scope.ts, src/steps/dotenv/scope.ts):
// lowest precedence, after the shell and the recipe's `env:`. Real files in a real folder.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { maskSecrets } from '../../src/engine/mask.js'
import { RecipeError } from '../../src/errors.js'
import { parseRecipe } from '../../src/recipe/parse.js'
import { allSteps } from '../../src/recipe/types.js'

/** A repository with these files; the recipe parsed there with `env` as the shell. */
function parseIn(files: Record<string, string>, recipe: string, env: NodeJS.ProcessEnv = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'devsetup-envscope-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    writeFileSync(path.join(root, name), text)
  }
  return parseRecipe(path.join(root, 'devsetup.yml'), recipe, env)
}

/** The `run:` of the last step. */
function lastRun(files: Record<string, string>, recipe: string, env: NodeJS.ProcessEnv = {}) {
  const steps = allSteps(parseIn(files, recipe, env))
  return (steps.at(-1)!.config as { run: string }).run
}

function problemsOf(files: Record<string, string>, recipe: string, env: NodeJS.ProcessEnv = {}) {
  try {
    parseIn(files, recipe, env)
  } catch (error) {
    if (error instanceof RecipeError) return error.problems
    throw error
  }
  throw new Error('no problem')
}

const recipe = (dotenv: string, run = 'echo ${DB_NAME}') =>
  `version: 1\nsteps:\n  - dotenv: ${dotenv}\n  - run: ${run}\n    creates: x\n`

const example = 'DB_NAME=example_db\nDB_USER=app\n'

describe('${VAR} from the env file of an earlier dotenv step', () => {
  it("an existing value in .env (a key defined twice: the last one, as dotenv's)", () => {
    const files = { '.env.example': example, '.env': 'DB_NAME=mine\nDB_NAME=really_mine\n' }
    expect(lastRun(files, recipe('.env.example'))).toBe('echo really_mine')
  })

  it("a key missing from .env, or no .env at all: `set:`'s value, else the example's", () => {
    const files = { '.env.example': example, '.env': 'DB_USER=me\n' }
    expect(lastRun(files, recipe('.env.example'))).toBe('echo example_db')
    expect(lastRun({ '.env.example': example }, recipe('.env.example'))).toBe('echo example_db')
    expect(lastRun(files, recipe('{ set: { DB_NAME: from_set } }'))).toBe('echo from_set')
    expect(lastRun({ '.env.example': example }, recipe('{ set: { DB_NAME: from_set } }'))).toBe(
      'echo from_set',
    )
  })

  it('an emptied key keeps its empty value, unless `required:` lists it (then set:, else the example)', () => {
    const files = { '.env.example': example, '.env': 'DB_NAME=\nDB_USER=me\n' }
    expect(lastRun(files, recipe('.env.example', 'echo "[${DB_NAME}]"'))).toBe('echo "[]"')
    expect(lastRun(files, recipe('{ required: DB_NAME }'))).toBe('echo example_db')
    expect(lastRun(files, recipe('{ required: DB_NAME, set: { DB_NAME: from_set } }'))).toBe('echo from_set')
    // `${VAR:-default}` works as before: an empty value takes the default.
    expect(lastRun(files, recipe('.env.example', 'echo ${DB_NAME:-fallback}'))).toBe('echo fallback')
  })

  it('a `generate:` key without a value is unknown, never invented: an error that says so', () => {
    const files = { '.env.example': 'SECRET=\n', '.env': 'SECRET=\n' }
    const [problem] = problemsOf(files, recipe('{ generate: SECRET }', 'echo ${SECRET}'))
    expect(problem).toMatchObject({ line: 4, col: 10 })
    expect(problem!.message).toBe(
      '`SECRET` has no value until the dotenv step at line 3 generates it in .env',
    )
    // Once it has one, it is read like any other.
    const made = { '.env.example': 'SECRET=\n', '.env': 'SECRET=abc123\n' }
    expect(lastRun(made, recipe('{ generate: SECRET }', 'echo ${SECRET}'))).toBe('echo abc123')
  })

  it('two dotenv steps: the later one shadows the earlier for its keys only', () => {
    const files = {
      '.env.example': example,
      '.env': 'DB_NAME=first\nDB_USER=first_user\n',
      '.env.local.example': 'DB_NAME=second\n',
    }
    const text = `version: 1
steps:
  - dotenv: .env.example
  - run: echo \${DB_NAME}
    creates: a
  - dotenv: { from: .env.local.example, to: .env.local }
  - run: echo \${DB_NAME} \${DB_USER}
    creates: b
`
    const runs = allSteps(parseIn(files, text)).map((s) => (s.config as { run?: string }).run)
    expect(runs).toEqual([undefined, 'echo first', undefined, 'echo second first_user'])
  })

  it("the files are the dotenv step's `to:` and `from:`, relative to its cwd", () => {
    const files = {
      'api/env.sample': 'DB_NAME=sample\n',
      'api/.env': 'DB_NAME=in_api\n',
      '.env': 'DB_NAME=root\n',
    }
    const text = `version: 1
steps:
  - dotenv: env.sample
    cwd: api
  - run: echo \${DB_NAME}
    creates: x
`
    expect(lastRun(files, text)).toBe('echo in_api')
  })

  it('only steps after it; inside `parallel:` only the dotenv steps before the group', () => {
    const files = { '.env.example': example }
    const before = problemsOf(
      files,
      'version: 1\nsteps:\n  - run: echo ${DB_NAME}\n    creates: x\n  - dotenv\n',
    )
    expect(before[0]!.message).toBe('undefined variable `DB_NAME`')
    const group = `version: 1
steps:
  - parallel:
      - dotenv
      - { run: "echo \${DB_NAME}", creates: x }
`
    expect(problemsOf(files, group)[0]!.message).toBe('undefined variable `DB_NAME`')
    // A step after the group reads the files of the group's dotenv steps.
    const after = `version: 1
steps:
  - parallel:
      - dotenv
      - { run: "echo 1", creates: y }
  - { run: "echo \${DB_NAME}", creates: x }
`
    expect(lastRun(files, after)).toBe('echo example_db')
  })

  it("the shell wins over the file, and the recipe's env over both (the app's own order)", () => {
    const files = { '.env.example': example, '.env': 'DB_NAME=in_file\n' }
    const both = recipe('.env.example', 'echo ${DB_NAME} ${DB_USER}')
    expect(lastRun(files, both, { DB_NAME: 'in_shell' })).toBe('echo in_shell app')
    // Even an empty shell value: dotenv never overrides a variable that is set.
    expect(lastRun(files, recipe('.env.example', 'echo "[${DB_NAME}]"'), { DB_NAME: '' })).toBe('echo "[]"')
    const withEnv = `version: 1\nenv: { DB_NAME: in_recipe }\nsteps:\n  - dotenv\n  - run: echo \${DB_NAME} \${DB_USER}\n    creates: x\n`
    expect(lastRun(files, withEnv, { DB_NAME: 'in_shell' })).toBe('echo in_recipe app')
    const stepEnv = `version: 1\nsteps:\n  - dotenv\n  - run: echo \${DB_NAME} \${DB_USER}\n    env: { DB_NAME: in_step }\n    creates: x\n`
    expect(lastRun(files, stepEnv)).toBe('echo in_step app')
  })

  it('an undefined variable after a dotenv step names every place looked in, at file:line:col', () => {
    const files = { '.env.example': example, '.env': 'DB_NAME=x\n' }
    const [problem] = problemsOf(files, recipe('.env.example', 'echo ${NOPE}'))
    expect(problem).toMatchObject({ line: 4, col: 10 })
    expect(problem!.message).toBe(
      "undefined variable `NOPE`: not in the recipe's `env:`, your shell, .env or .env.example (the dotenv step at line 3)",
    )
    expect(problem!.hint).toContain('add NOPE to .env.example')
    expect(problem!.hint).toContain('${NOPE:-value}')
  })

  it('a .env that is not a regular file (a FIFO) is never read: no hang, an undefined variable', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'devsetup-envscope-'))
    writeFileSync(path.join(root, '.env.example'), example)
    expect(spawnSync('mkfifo', [path.join(root, '.env')]).status).toBe(0)
    try {
      parseRecipe(path.join(root, 'devsetup.yml'), recipe('.env.example'), {})
      expect.unreachable()
    } catch (error) {
      expect((error as RecipeError).problems[0]!.message).toMatch(/^undefined variable `DB_NAME`/)
    }
  })

  it("a secret read from .env is masked like the environment's", () => {
    const secret = 'Zq8vLm2pXr7TnK4w'
    const files = { '.env.example': 'API_TOKEN=\n', '.env': `API_TOKEN=${secret}\n` }
    expect(lastRun(files, recipe('.env.example', 'curl -H ${API_TOKEN} localhost'))).toContain(secret)
    expect(maskSecrets(`sent ${secret}`)).toBe('sent ***')
  })
})

describe('a value from an env file that makes a step invalid', () => {
  const files = { '.env.example': 'PORT=3000\n', '.env': 'PORT=-1\n' }
  const broken =
    'version: 1\nsteps:\n  - dotenv: .env.example\n  - restart:\n      start: node server.js\n      health: http://127.0.0.1:${PORT:-3000}/\n'

  it('is no recipe error: that step is red, naming the line and the env file, and the parse is not cached', async () => {
    const recipe = parseIn(files, broken)
    expect(recipe.uncached).toBe(true)
    const restart = allSteps(recipe).at(-1)!
    expect(restart.type).toBe('restart')
    const check = await restart.stepType.check(restart.config, {} as never)
    expect(check.met).toBe(false)
    expect(check.reason).toContain('devsetup.yml:6: `health`')
    expect(check.reason).toContain('http://127.0.0.1:-1/')
    expect(check.reason).toContain('`PORT` here is read from .env: check its value there')
    await expect(restart.stepType.run(restart.config, {} as never)).rejects.toThrow(
      '`PORT` here is read from .env',
    )
  })

  it('a port out of range says so, not only "expected a URL"', async () => {
    const recipe = parseIn({ '.env.example': 'PORT=3000\n', '.env': 'PORT=99999\n' }, broken)
    const restart = allSteps(recipe).at(-1)!
    const check = await restart.stepType.check(restart.config, {} as never)
    expect(check.reason).toContain('its port 99999 is out of range (1–65535)')
  })

  it('the same mistake written in the recipe itself stays a recipe error', () => {
    const problems = problemsOf(files, broken.replace('${PORT:-3000}', '-1'))
    expect(problems).toHaveLength(1)
    expect(problems[0]!.line).toBe(6)
  })
})
