// `devsetup add` through the built CLI: the new step lands where asked, every other byte of
// a hand-written recipe stays as it was, and an invalid step leaves the file untouched.
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { cliPath, listedIds, runCli, tempRepo } from '../helpers.js'

// Hand-written on purpose: aligned trailing comments, blank lines, quoting styles, a flow map,
// a block scalar and a comment after the last step, all things a re-stringify would change.
const handWritten = `# Our dev setup — edit freely
version: 1
env:
  GREETING: 'hello'          # single quotes kept

steps:
  # Build the assets first
  - name: Assets
    id: assets
    run: |
      echo building
      touch assets.done
    creates: assets.done     # aligned comment

  - { name: "Say hi", id: hi, run: "echo \${GREETING}", check: "true" }

  # The last one
  - name: Done
    id: done
    run: echo done
    check: 'test -f assets.done'
# trailing comment of the file
`

function repoWith(text = handWritten): { dir: string; file: string } {
  const dir = tempRepo({ 'devsetup.yml': text })
  return { dir, file: path.join(dir, 'devsetup.yml') }
}

/**
 * `devsetup add <args>` in a real pseudo-terminal (`script`): the path a person at a terminal
 * takes. `input` is what they type.
 */
function addInTerminal(dir: string, args: string, input: string, ci = '') {
  return spawnSync('script', ['-qec', `${process.execPath} ${cliPath} add ${args} --no-color`, '/dev/null'], {
    cwd: dir,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: ci },
  })
}

describe('devsetup add', () => {
  it('appends a step and keeps every other byte of a commented recipe', async () => {
    const { dir, file } = repoWith()
    const result = await runCli(['add', 'run', '--name', 'Git hooks', 'run=npx husky', 'creates=.husky/_'], {
      cwd: dir,
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('added step `git-hooks` (Git hooks) to devsetup.yml:')
    const newStep = '\n  - name: Git hooks\n    run: npx husky\n    creates: .husky/_\n'
    const at = handWritten.indexOf('# trailing comment of the file')
    expect(readFileSync(file, 'utf8')).toBe(handWritten.slice(0, at) + newStep + handWritten.slice(at))
    expect(await listedIds(dir)).toEqual(['assets', 'hi', 'done', 'git-hooks'])
    expect((await runCli(['validate'], { cwd: dir })).code).toBe(0)
  })

  it('--before and --after place the step, above the target step and its comment', async () => {
    const { dir, file } = repoWith()
    const before = await runCli(
      ['add', 'run', '--id', 'first', 'run=echo 1', 'check=true', '--before', 'assets'],
      {
        cwd: dir,
      },
    )
    expect(before.code).toBe(0)
    const after = await runCli(
      ['add', 'run', '--id', 'middle', 'run=echo 2', 'check=true', '--after', 'hi'],
      {
        cwd: dir,
      },
    )
    expect(after.code).toBe(0)
    expect(await listedIds(dir)).toEqual(['first', 'assets', 'hi', 'middle', 'done'])
    const text = readFileSync(file, 'utf8')
    expect(text).toContain(
      'steps:\n  - id: first\n    run: echo 1\n    check: "true"\n\n  # Build the assets first\n',
    )
    expect(text).toContain(
      'check: "true" }\n\n  - id: middle\n    run: echo 2\n    check: "true"\n\n  # The last one\n',
    )
    // Removing the two new blocks gives back the original, byte for byte.
    const restored = text
      .replace('  - id: first\n    run: echo 1\n    check: "true"\n\n', '')
      .replace('\n  - id: middle\n    run: echo 2\n    check: "true"\n', '')
    expect(restored).toBe(handWritten)
  })

  it('refuses an invalid step with the same errors as validate, and leaves the file unchanged', async () => {
    const { dir, file } = repoWith()
    const typo = await runCli(['add', 'run', 'run=make', 'craetes=build/'], { cwd: dir })
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('(with the new step; not written)')
    expect(typo.stderr).toContain('did you mean `creates`?')
    const missing = await runCli(['add', 'run', 'creates=build/'], { cwd: dir })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('a `run` step needs run=...')
    const incomplete = await runCli(['add', 'database', 'migrate=npm run migrate'], { cwd: dir })
    expect(incomplete.code).toBe(2)
    expect(incomplete.stderr).toContain('(with the new step; not written)')
    expect(incomplete.stderr).toContain('missing `engine`')
    const unknown = await runCli(['add', 'rnu', 'run=make'], { cwd: dir })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('did you mean `run`?')
    const badAfter = await runCli(['add', 'run', 'run=make', 'check=true', '--after', 'dne'], { cwd: dir })
    expect(badAfter.code).toBe(2)
    expect(badAfter.stderr).toContain('no step with id `dne`')
    expect(readFileSync(file, 'utf8')).toBe(handWritten)
  })

  it('converts values by the schema: lists where a list is expected, numbers and booleans where accepted', async () => {
    const { dir, file } = repoWith(
      'version: 1\nsteps:\n  - name: One\n    run: echo one\n    check: "true"\n',
    )
    const result = await runCli(
      [
        'add',
        'run',
        'run=echo a,b',
        'creates=a.txt,b.txt',
        'retries=2',
        'optional=true',
        'timeout=90',
        'env={PORT: 3000}',
      ],
      { cwd: dir },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const steps = parse(readFileSync(file, 'utf8')).steps
    expect(steps[1]).toEqual({
      run: 'echo a,b',
      creates: ['a.txt', 'b.txt'],
      retries: 2,
      optional: true,
      timeout: 90,
      env: { PORT: 3000 },
    })
    expect(readFileSync(file, 'utf8')).toContain('    creates: [a.txt, b.txt]\n')
  })

  it('writes the bare form and the shorthand of nested types', async () => {
    const { dir, file } = repoWith(
      'version: 1\nsteps:\n  - name: One\n    run: echo one\n    check: "true"\n',
    )
    expect((await runCli(['add', 'dependencies'], { cwd: dir })).code).toBe(0)
    expect((await runCli(['add', 'runtime', 'node', '--before', 'one'], { cwd: dir })).code).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe(
      'version: 1\nsteps:\n  - runtime: node\n  - name: One\n    run: echo one\n    check: "true"\n  - dependencies\n',
    )
    expect(await listedIds(dir)).toEqual(['runtime', 'one', 'dependencies'])
  })

  it('starts the list when the recipe has none yet (`steps: []`, or no steps key)', async () => {
    const empty = repoWith('# new\nversion: 1\nsteps: []\n')
    expect((await runCli(['add', 'run', 'run=make', 'check=true'], { cwd: empty.dir })).code).toBe(0)
    expect(readFileSync(empty.file, 'utf8')).toBe(
      '# new\nversion: 1\nsteps:\n  - run: make\n    check: "true"\n',
    )
    const none = repoWith('version: 1\n')
    // A recipe without `steps` is invalid for validate too; add refuses it as it is.
    const refused = await runCli(['add', 'run', 'run=make'], { cwd: none.dir })
    expect(refused.code).toBe(2)
    expect(readFileSync(none.file, 'utf8')).toBe('version: 1\n')
  })

  it('never prompts without a TTY: missing settings are an error, the file unchanged', async () => {
    const { dir, file } = repoWith()
    const result = await runCli(['add', 'run'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(readFileSync(file, 'utf8')).toBe(handWritten)
  })

  it('keeps the file mode', async () => {
    const { dir, file } = repoWith()
    writeFileSync(file, handWritten, { mode: 0o640 })
    const { chmodSync, statSync } = await import('node:fs')
    chmodSync(file, 0o640)
    expect((await runCli(['add', 'run', 'run=make', 'check=true'], { cwd: dir })).code).toBe(0)
    expect(statSync(file).mode & 0o777).toBe(0o640)
  })

  // `script` gives the CLI a real pseudo-terminal, so this is the path a person at a terminal takes.
  it.skipIf(!existsSync('/usr/bin/script'))('in a terminal without settings, asks for the keys', () => {
    const { dir, file } = repoWith()
    const answers = 'make\n\nbuild/\n\nBuild\n'
    const run = addInTerminal(dir, 'run', answers)
    expect(run.stdout).toContain('run (required) — The shell command to run: ')
    expect(run.stdout).toContain('added step `build` (Build)')
    const at = handWritten.indexOf('# trailing comment of the file')
    const newStep = '\n  - name: Build\n    run: make\n    creates: build/\n'
    expect(readFileSync(file, 'utf8')).toBe(handWritten.slice(0, at) + newStep + handWritten.slice(at))
  })
})

describe('devsetup add in a terminal, a type whose bare form is complete', () => {
  // docs/commands.md: `devsetup add dependencies` writes the bare form; asking for its keys,
  // all optional, would end in the same line after many Enters.
  it.skipIf(!existsSync('/usr/bin/script'))(
    'writes `- dependencies` without asking, and names its keys',
    () => {
      const { dir, file } = repoWith()
      // Answers that a prompt would take: they must not end up in the recipe.
      const run = addInTerminal(dir, 'dependencies', 'pnpm\n\n\n\n\n\n\n\n')
      expect(run.status).toBe(0)
      expect(run.stdout).not.toContain('Enter skips an optional key')
      expect(run.stdout).toContain('added step `dependencies` (Install dependencies)')
      expect(run.stdout).toMatch(
        /the bare form `- dependencies`; its optional keys \(manager, [^)]*\) go as key=value/,
      )
      const at = handWritten.indexOf('# trailing comment of the file')
      expect(readFileSync(file, 'utf8')).toBe(
        `${handWritten.slice(0, at)}\n  - dependencies\n${handWritten.slice(at)}`,
      )
    },
  )
})

describe('devsetup add keeps existing step ids (state is keyed by id)', () => {
  const recipe = 'version: 1\nsteps:\n  - run: echo A >> a.txt\n    inputs: package.json\n'

  it('a new step placed before a same-type step gets its own id; the old step keeps `run` and its state', async () => {
    const { dir, file } = repoWith(recipe)
    writeFileSync(path.join(dir, 'package.json'), '{}\n')
    expect((await runCli(['up'], { cwd: dir })).code).toBe(0)
    expect((await runCli(['up'], { cwd: dir })).code).toBe(0)
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('A\n')
    const added = await runCli(
      ['add', 'run', 'run=echo B >> b.txt', 'inputs=package.json', '--before', 'run'],
      { cwd: dir },
    )
    expect(added.stderr).toBe('')
    expect(added.code).toBe(0)
    expect(added.stdout).toContain('added step `run-2`')
    expect(await listedIds(dir)).toEqual(['run-2', 'run'])
    expect(readFileSync(file, 'utf8')).toContain('  - id: run-2\n    run: echo B >> b.txt\n')
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code).toBe(0)
    // The old step is still up to date (not run again); the new one runs.
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('A\n')
    expect(readFileSync(path.join(dir, 'b.txt'), 'utf8')).toBe('B\n')
  })

  it('a plain append that changes no id gets no explicit id', async () => {
    const { file, dir } = repoWith(recipe)
    expect((await runCli(['add', 'run', 'run=echo B', 'check=true'], { cwd: dir })).code).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe(`${recipe}  - run: echo B\n    check: "true"\n`)
    expect(await listedIds(dir)).toEqual(['run', 'run-2'])
  })

  it('refuses an explicit --id that an existing (derived) id already uses', async () => {
    const text = 'version: 1\nsteps:\n  - name: Hooks\n    run: echo hooks\n    check: "true"\n'
    const { dir, file } = repoWith(text)
    const result = await runCli(['add', 'run', '--id', 'hooks', 'run=echo x', 'check=true'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('id `hooks` is already used by step `Hooks` (line 3)')
    expect(readFileSync(file, 'utf8')).toBe(text)
  })
})

describe('devsetup add --before after a block scalar', () => {
  it("does not cut the previous step's `run: |` whose last line starts with #", async () => {
    const text =
      'version: 1\nsteps:\n  - name: Build\n    run: |\n      make\n      # done building\n  - name: Test\n    run: make test\n    check: "true"\n'
    const { dir, file } = repoWith(text)
    const result = await runCli(['add', 'run', '--id', 'x', 'run=echo x', 'check=true', '--before', 'test'], {
      cwd: dir,
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const steps = parse(readFileSync(file, 'utf8')).steps
    expect(steps[0].run).toBe('make\n# done building\n')
    expect(steps.map((s: { id?: string; name?: string }) => s.id ?? s.name)).toEqual(['Build', 'x', 'Test'])
  })

  it('still moves a comment line above the target with the target', async () => {
    const text =
      'version: 1\nsteps:\n  - run: echo a\n    check: "true"\n  # about b\n  - name: B\n    run: echo b\n    check: "true"\n'
    const { dir, file } = repoWith(text)
    expect(
      (await runCli(['add', 'run', '--id', 'x', 'run=echo x', 'check=true', '--before', 'b'], { cwd: dir }))
        .code,
    ).toBe(0)
    expect(readFileSync(file, 'utf8')).toContain(
      '  - id: x\n    run: echo x\n    check: "true"\n  # about b\n  - name: B\n',
    )
  })
})

describe('devsetup add key=value typing', () => {
  const base = 'version: 1\nsteps:\n  - name: One\n    run: echo one\n    check: "true"\n'

  it('keeps text as typed where the key takes a string: versions, leading zeros, env values', async () => {
    const { dir, file } = repoWith(base)
    const runtime = await runCli(['add', 'runtime', 'name=python', 'version=3.10'], { cwd: dir })
    expect(runtime.stderr).toBe('')
    expect(runtime.code).toBe(0)
    const node = await runCli(['add', 'runtime', 'name=node', 'version=010', '--id', 'node'], { cwd: dir })
    expect(node.stderr).toBe('')
    const run = await runCli(
      ['add', 'run', 'run=echo $ZIP', 'check=true', 'env.ZIP=01234', 'env.V=1.10', 'env.N=7', 'timeout=90'],
      { cwd: dir },
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const text = readFileSync(file, 'utf8')
    expect(text).toContain('  - runtime:\n      name: python\n      version: "3.10"\n')
    expect(text).toContain('      version: "010"\n')
    const steps = parse(text).steps
    expect(steps[3]).toEqual({
      run: 'echo $ZIP',
      check: 'true',
      env: { ZIP: '01234', V: '1.10', N: '7' },
      timeout: 90,
    })
  })

  it('a value starting with [ or { is text where the key takes no list or map', async () => {
    const { dir, file } = repoWith(base)
    const result = await runCli(
      ['add', 'run', 'run={ echo a; } > out', 'check=[ -d node_modules/.bin ]', 'creates=[out, b]'],
      { cwd: dir },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(parse(readFileSync(file, 'utf8')).steps[1]).toEqual({
      run: '{ echo a; } > out',
      check: '[ -d node_modules/.bin ]',
      creates: ['out', 'b'],
    })
  })
})

describe('devsetup add and the file itself', () => {
  it('writes the new lines with the CRLF line endings of a CRLF file', async () => {
    const lf = 'version: 1\nsteps:\n  - name: One\n    run: echo one\n    check: "true"\n'
    const { dir, file } = repoWith(lf.replace(/\n/g, '\r\n'))
    const result = await runCli(['add', 'run', 'run=echo two', 'check=true', '--before', 'one'], { cwd: dir })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const text = readFileSync(file, 'utf8')
    expect(text.replace(/\r\n/g, '')).not.toContain('\n')
    expect(text).toBe(
      'version: 1\r\nsteps:\r\n  - run: echo two\r\n    check: "true"\r\n  - name: One\r\n    run: echo one\r\n    check: "true"\r\n',
    )
  })

  it('writes through a symlinked devsetup.yml to its target', async () => {
    const { dir, file } = repoWith()
    const target = path.join(dir, 'config', 'recipe.yml')
    mkdirSync(path.dirname(target))
    renameSync(file, target)
    symlinkSync('config/recipe.yml', file)
    const result = await runCli(['add', 'run', 'run=make', 'check=true'], { cwd: dir })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(lstatSync(file).isSymbolicLink()).toBe(true)
    expect(readFileSync(target, 'utf8')).toContain('  - run: make\n')
    expect(readdirSync(path.dirname(target))).toEqual(['recipe.yml'])
  })

  it('never prompts when CI is set, even in a terminal', () => {
    if (!existsSync('/usr/bin/script')) return
    const { dir, file } = repoWith()
    const run = addInTerminal(dir, 'run', 'make\n\n\n\n\n', 'true')
    expect(run.stdout).not.toContain('The shell command to run')
    expect(run.stdout).toContain('a `run` step needs run=...')
    expect(readFileSync(file, 'utf8')).toBe(handWritten)
  })
})
