// Every example a user is shown must work: each `$ devsetup ...` line of every command's --help and
// each devsetup line of the shell blocks of the README and of every page under docs/ runs, as written, in a shell, in a fresh copy of
// examples/app, and exits 0. `npx --yes repo-devsetup@0.1 ...` lines fetch the packed package from a
// local registry, so they prove the pinned name resolves to this build.
import { spawnSync } from 'node:child_process'
import { cpSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { beforeAll, describe, expect, it } from 'vitest'
import { NPX_COMMAND } from '../../src/package-name.js'
import { cliPath, repoRoot, runCli, tempRepo, testStateHome } from '../helpers.js'
import { type NpmEnv, servePackedProject } from './npm-package.js'

const exampleApp = path.join(repoRoot, 'examples', 'app')
/** The README and every Markdown page under docs/, by their path in the repository. */
const pages = [
  'README.md',
  ...readdirSync(path.join(repoRoot, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => path.join('docs', name)),
].map((file) => ({ file, text: readFileSync(path.join(repoRoot, file), 'utf8') }))
const readme = pages[0]!.text
const allText = pages.map((page) => page.text).join('\n')

function helpOf(args: string[]): string {
  return spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  }).stdout
}

/** The commands `devsetup --help` lists (not `help` itself). */
const commands = (() => {
  const help = helpOf(['--help'])
  const section = help.slice(help.indexOf('Commands:'))
  return [...section.matchAll(/^ {2}(\w[\w-]*)/gm)].map((m) => m[1]!).filter((name) => name !== 'help')
})()

// `devsetup --help` itself, then each command's.
const helpExamples = [[], ...commands.map((command) => [command])].flatMap((args) =>
  [...helpOf([...args, '--help']).matchAll(/^\s*\$ (.+)$/gm)].map((m) => ({
    where: ['devsetup', ...args, '--help'].join(' '),
    line: m[1]!.trim(),
  })),
)

// The pages' shell blocks: the lines that run devsetup (others clone, install, build this project).
const readmeExamples = pages.flatMap(({ file, text }) =>
  [...text.matchAll(/^```(?:sh|bash|shell|console)\n([\s\S]*?)^```/gm)]
    .flatMap((block) => block[1]!.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.startsWith('devsetup') || line.startsWith(`${NPX_COMMAND}`))
    .map((line) => ({ where: file, line })),
)

/** The devsetup command an example runs (`up` when it names none). */
function commandOf(line: string): string {
  const rest = line.startsWith(NPX_COMMAND) ? line.slice(NPX_COMMAND.length) : line.replace(/^devsetup/, '')
  const first = rest.split(/\s+/).find((word) => word !== '' && !word.startsWith('-'))
  return first && commands.includes(first) ? first : 'up'
}

const { freshNpm } = servePackedProject()
let npm: NpmEnv
let binDir: string

beforeAll(() => {
  // One npm cache for the file: the first npx example fetches, the others reuse it.
  npm = freshNpm()
  // `devsetup` on PATH is this build, as after `npm install --save-dev repo-devsetup`.
  binDir = tempRepo({}, { git: false })
  symlinkSync(cliPath, path.join(binDir, 'devsetup'))
})

/**
 * A fresh copy of the example app, as the example's command expects to find a repository:
 * `init` one without a recipe yet, `doctor` one that `devsetup up` has set up, the others as cloned.
 */
async function appFor(command: string): Promise<string> {
  const app = tempRepo()
  cpSync(exampleApp, app, { recursive: true })
  if (command === 'init') rmSync(path.join(app, 'devsetup.yml'))
  if (command === 'doctor') {
    const up = await runCli([], { cwd: app })
    expect(up.code, up.stdout + up.stderr).toBe(0)
  }
  return app
}

describe('examples shown to users', () => {
  it('finds the examples of every command and of the README', () => {
    expect(commands).toEqual(
      expect.arrayContaining(['up', 'doctor', 'init', 'add', 'list', 'validate', 'schema']),
    )
    for (const command of ['up', 'doctor', 'init', 'add'])
      expect(helpExamples.map((e) => e.where)).toContain(`devsetup ${command} --help`)
    expect(readmeExamples.filter((e) => e.where === 'README.md').length).toBeGreaterThan(5)
    // The reference moved to docs/: its pages' examples are found too.
    expect(readmeExamples.filter((e) => e.where === path.join('docs', 'commands.md')).length).toBeGreaterThan(
      3,
    )
  })

  it.each([...helpExamples, ...readmeExamples])('$where: $line', async ({ line }) => {
    expect(line.startsWith('devsetup') || line.startsWith(`${NPX_COMMAND} `) || line === NPX_COMMAND).toBe(
      true,
    )
    const app = await appFor(commandOf(line))
    const result = await execa('sh', ['-c', line], {
      cwd: app,
      env: {
        ...npm.env,
        PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
        NO_COLOR: '1',
        CI: '',
        // The state `up` kept for this app, outside it (where runCli keeps it).
        DEVSETUP_STATE_DIR: testStateHome(),
      },
      reject: false,
      timeout: 60_000,
    })
    expect(result.exitCode, `${line}\n${result.stdout}\n${result.stderr}`).toBe(0)
  })

  it("every step id the README and docs/ name exists: in the README's recipe or in examples/app", async () => {
    const recipe = readme.match(/^```yaml\n(# devsetup\.yml\n[\s\S]*?)^```/m)?.[1]
    expect(recipe).toBeDefined()
    // Its database URL comes from .env, as an app's does: the example the dotenv step copies.
    const dir = tempRepo({
      'devsetup.yml': recipe!,
      '.env.example': 'DATABASE_URL=postgres://localhost:5432/app_dev\n',
    })
    const ids = new Set<string>()
    for (const cwd of [dir, exampleApp]) {
      const listed = await runCli(['list', '--json'], { cwd })
      expect(listed.code, listed.stderr).toBe(0)
      for (const row of listed.stdout.trim().split('\n')) ids.add((JSON.parse(row) as { id: string }).id)
    }
    const named = [
      ...[...allText.matchAll(/--(?:only|skip|before|after)[ =]([\w,-]+)/g)].flatMap((m) => m[1]!.split(',')),
      ...[...allText.matchAll(/"step":"([^"]+)"/g)].map((m) => m[1]!),
    ]
    expect(named.length).toBeGreaterThan(2)
    expect(named.filter((id) => !ids.has(id))).toEqual([])
  })
})
