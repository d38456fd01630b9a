import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { RecipeError } from '../../src/errors.js'
import { parseRecipe } from '../../src/recipe/parse.js'
import { allSteps } from '../../src/recipe/types.js'
import { type AnyStepType, defineStepType } from '../../src/steps/define.js'
import { stepTypes } from '../../src/steps/index.js'

// A nested step type of the test's own, so the loader's nested form is exercised
// independently of which real step types exist.
const clean = defineStepType({
  type: 'clean',
  description: 'delete things',
  form: 'nested',
  schema: z
    .union([
      z.undefined(),
      z.strictObject({ paths: z.array(z.string()).min(1), older_than: z.string().optional() }),
    ])
    .transform((v) => v ?? { paths: ['tmp'] }),
  title: (cfg) => `Clean ${cfg.paths.join(', ')}`,
  check: async () => ({ met: true, reason: 'clean' }),
  run: async () => undefined,
})
const types = new Map<string, AnyStepType>([
  ['run', stepTypes.get('run')!],
  ['clean', clean],
])

const parse = (text: string, env: Record<string, string> = {}) =>
  parseRecipe('/repo/devsetup.yml', text, env, types)

function problemsOf(text: string, env: Record<string, string> = {}) {
  try {
    parse(text, env)
  } catch (error) {
    if (error instanceof RecipeError) return error.problems
    throw error
  }
  throw new Error('expected a RecipeError')
}

describe('step forms', () => {
  it('accepts a bare type name, a map with one type key, and parallel groups', () => {
    const recipe = parse(`version: 1
steps:
  - clean
  - name: Build assets
    run: make
    creates: dist/app.js
  - parallel:
      - run: a
        check: test -f a
      - clean: { paths: [log] }
`)
    expect(recipe.items.map((i) => i.kind)).toEqual(['step', 'step', 'parallel'])
    const steps = allSteps(recipe)
    expect(steps.map((s) => s.type)).toEqual(['clean', 'run', 'run', 'clean'])
    expect(steps[0]!.config).toEqual({ paths: ['tmp'] })
    expect(steps[1]!.config).toEqual({ run: 'make', creates: ['dist/app.js'] })
    expect(steps[1]!.title).toBe('Build assets')
    expect(steps[1]!.position).toEqual({ line: 4, col: 5 })
  })

  it('derives unique ids from names and types, and keeps explicit ones', () => {
    const recipe = parse(`version: 1
steps:
  - clean
  - clean
  - name: Git hooks!
    run: npx husky
  - id: clean
    run: x
`)
    // The explicit `clean` keeps its id; derived ones step around it.
    expect(allSteps(recipe).map((s) => s.id)).toEqual(['clean-2', 'clean-3', 'git-hooks', 'clean'])
  })

  it('reads common keys: timeout, retries, optional, env, cwd, if', () => {
    const [step] = allSteps(
      parse(`version: 1
steps:
  - run: x
    timeout: 1m30s
    retries: 2
    optional: true
    env: { PORT: 3000, DEBUG: true }
    cwd: api
    if: { platform: macos, env: CI, ci: false }
`),
    )
    expect(step!.options).toEqual({
      timeoutMs: 90_000,
      retries: 2,
      optional: true,
      env: { PORT: '3000', DEBUG: 'true' },
      cwd: 'api',
      if: { platform: ['darwin'], env: { CI: true }, ci: false },
    })
  })

  it('warns about a run step that has no check', () => {
    const recipe = parse('version: 1\nsteps:\n  - run: echo hi\n')
    expect(recipe.warnings).toEqual([expect.stringContaining('devsetup.yml:3:5: step `run`: has no `check`')])
  })
})

describe('interpolation', () => {
  it('fills ${VAR} from the recipe env, then the process env; $${ escapes; :- defaults', () => {
    const recipe = parse(
      `version: 1
env:
  DB: app_dev
  URL: postgres://localhost/\${DB}
steps:
  - run: echo \${URL} \${HOME} $\${literal} \${MISSING:-fallback}
    creates: x
`,
      { HOME: '/home/me' },
    )
    expect(recipe.env.URL).toBe('postgres://localhost/app_dev')
    expect((allSteps(recipe)[0]!.config as { run: string }).run).toBe(
      'echo postgres://localhost/app_dev /home/me ${literal} fallback',
    )
  })

  it('step env overrides recipe env and is visible in the step', () => {
    const recipe = parse(`version: 1
env: { A: recipe }
steps:
  - run: echo \${A}
    creates: x
    env: { A: step }
`)
    expect((allSteps(recipe)[0]!.config as { run: string }).run).toBe('echo step')
  })

  it('reports an undefined variable at its value, naming it', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - run: echo ${NOPE}\n    creates: x\n')
    expect(problem).toMatchObject({ message: 'undefined variable `NOPE`', line: 3, col: 10 })
    expect(problem!.hint).toContain('${NOPE:-value}')
  })
})

describe('errors that teach, at file:line:col', () => {
  it.each(['echo a: - b', 'a: b: c', '"a" b: c', 'echo a: "b" c', 'echo a: !b'])(
    'one unquoted `: ` is one problem, with the line quoted: run: %s',
    (value) => {
      const problems = problemsOf(`version: 1\nsteps:\n  - run: ${value}\n    creates: out\n`)
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatchObject({ line: 3, col: 10 })
      expect(problems[0]!.hint).toBe(
        `a value that contains \`: \` must be quoted; write the line as:\n    - run: '${value}'`,
      )
    },
  )

  it('two slips on two lines are two problems', () => {
    const problems = problemsOf('version: 1\nsteps:\n  - run: a: b: c\n    creates: x: y\n')
    expect(problems.map((p) => p.line)).toEqual([3, 4])
  })

  it("an undefined variable is reported together with the recipe's other problems", () => {
    const problems = problemsOf(
      'version: 1\nsteps:\n  - run: echo ${NOPE}\n    chek: x\n  - run: echo ${ALSO}\n',
    )
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [3, 'undefined variable `NOPE`'],
      [4, 'unknown key `chek` in a `run` step'],
      [5, 'undefined variable `ALSO`'],
    ])
  })

  it("a common key under the type's settings says where it goes", () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - clean:\n      paths: [x]\n      env: { A: b }\n')
    expect(problem).toMatchObject({ message: 'unknown key `env` in `clean`', line: 5 })
    expect(problem!.hint).toContain('`env` is a key of the step, not of `clean`: write it beside `clean:`')
  })

  it("an unquoted `: ` in a value: the hint is the user's own line, quoted as YAML wants", () => {
    const [problem] = problemsOf(`version: 1\nsteps:\n  - run: node -e "log('x')"; echo a: b\n`)
    expect(problem!.hint).toContain(`- run: 'node -e "log(''x'')"; echo a: b'`)
  })

  it('malformed YAML', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - run: [a, b\n')
    expect(problem!.message).toMatch(/^malformed YAML/)
    expect(problem!.line).toBeGreaterThanOrEqual(3)
  })

  it('an empty file', () => {
    expect(problemsOf('')[0]).toMatchObject({ message: 'the recipe is empty', line: 1, col: 1 })
    expect(problemsOf('# only a comment\n')[0]!.message).toBe('the recipe is empty')
  })

  it('an unknown key, with did-you-mean', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - run: make\n    creats: build\n')
    expect(problem).toMatchObject({ message: 'unknown key `creats` in a `run` step', line: 4, col: 5 })
    expect(problem!.hint).toBe('did you mean `creates`?')
    expect(problem!.sourceLine).toBe('    creats: build')
  })

  it('a misspelled common key on a run step is suggested too', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - run: make\n    creates: x\n    retires: 2\n')
    expect(problem).toMatchObject({
      message: 'unknown key `retires` in a `run` step',
      line: 5,
      hint: 'did you mean `retries`?',
    })
  })

  it('a misspelled top-level key', () => {
    const problems = problemsOf('version: 1\nstepz: []\n')
    expect(problems).toContainEqual(
      expect.objectContaining({
        message: 'unknown key `stepz` in `recipe`',
        line: 2,
        col: 1,
        hint: 'did you mean `steps`?',
      }),
    )
  })

  it('a wrong type: expected vs got', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - run: make\n    creates: x\n    retries: two\n')
    expect(problem).toMatchObject({
      message: '`retries`: expected a number, got a string ("two")',
      line: 5,
      col: 14,
    })
  })

  it('a wrong type inside a nested config', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - clean:\n      paths: log\n')
    expect(problem).toMatchObject({ line: 4, col: 14 })
    expect(problem!.message).toContain('expected a list')
  })

  it('two type keys in one step', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - run: make\n    clean: { paths: [a] }\n')
    expect(problem).toMatchObject({ message: 'one step has two types: `run` and `clean`', line: 4, col: 5 })
  })

  it('an unknown step type lists the known ones', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - claen\n')
    expect(problem).toMatchObject({ message: 'unknown step type `claen`', line: 3, col: 5 })
    expect(problem!.hint).toBe('did you mean `clean`? (known step types: run, clean)')
  })

  it('an option of a nested type written at step level says where it belongs', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - clean:\n    paths: [a]\n')
    expect(problem!.message).toBe('unknown key `paths` in a `clean` step')
    expect(problem!.hint).toBe('`paths` is an option of `clean`: indent it under `clean:`')
  })

  it('duplicate ids point at the second one', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - id: a\n    run: x\n  - id: a\n    run: y\n')
    expect(problem).toMatchObject({
      message: 'duplicate step id `a` (first used at line 3)',
      line: 5,
      col: 5,
    })
  })

  it('a bad enum value suggests the closest one', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - run: x\n    if: { platform: linx }\n')
    expect(problem).toMatchObject({ line: 4, col: 21, hint: 'did you mean `linux`?' })
  })

  it('a path that leaves the repository', () => {
    const [problem] = problemsOf('version: 1\nsteps:\n  - run: x\n    cwd: ../elsewhere\n')
    expect(problem).toMatchObject({ line: 4, col: 10 })
    expect(problem!.message).toContain('inside the repository')
  })

  it('reports every problem at once, in file order', () => {
    const problems = problemsOf(
      'version: 1\nsteps:\n  - run: x\n    retries: -1\n  - nope\n  - run: y\n    optional: maybe\n',
    )
    expect(problems.map((p) => p.line)).toEqual([4, 5, 7])
  })

  it('never shows a password from a URL in the quoted line', () => {
    const [problem] = problemsOf(
      'version: 1\nsteps:\n  - run: psql postgres://app:s3cret@db/${NOPE}\n    creates: x\n',
    )
    expect(problem!.sourceLine).toBe('  - run: psql postgres://app:***@db/${NOPE}')
  })

  it('formats a caret under the column', () => {
    try {
      parse('version: 1\nsteps:\n  - run: make\n    creats: build\n')
    } catch (error) {
      expect((error as RecipeError).format()).toContain(
        '  4 |     creats: build\n          ^\n  hint: did you mean `creates`?',
      )
    }
  })
})
