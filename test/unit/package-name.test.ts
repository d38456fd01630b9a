// The public npm name `devsetup` belongs to an unrelated package (its bin is `ubusetup`, its scripts
// run sudo). No text we ship may send a user there: every way to run devsetup names our package.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  NPX_COMMAND,
  PACKAGE_HOME,
  PACKAGE_NAME,
  PACKAGE_SPEC,
  runningCommand,
} from '../../src/package-name.js'
import { repoRoot, tempRepo } from '../helpers.js'

// A command that fetches or installs a package by name, then flags, then the bare name `devsetup`
// (alone or with a version: `devsetup@0.1`), or a link to that package's npm page.
const fetchesUnrelated =
  /\b(?:npx|bunx|(?:pnpm|yarn)\s+dlx|npm\s+(?:exec|x|install|i|add)|(?:pnpm|yarn|bun)\s+add)(?:\s+-[-\w=]*)*\s+devsetup(?![\w-])|npmjs\.com\/package\/devsetup(?![\w-])/g

/** What we ship or show: the package's files, the docs, the scripts. Not test/ (it names the bad forms). */
const shipped = ['src', 'recipes', 'bin', 'scripts', 'docs', 'examples', 'README.md', 'package.json']

function filesUnder(entry: string): string[] {
  const full = path.join(repoRoot, entry)
  if (!existsSync(full)) return []
  if (statSync(full).isFile()) return [entry]
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((name) => !name.split(path.sep).includes('node_modules'))
    .map((name) => path.join(entry, name))
    .filter((name) => statSync(path.join(repoRoot, name)).isFile())
}

describe('the npm package name', () => {
  it('the pattern catches every way the old texts sent users to the unrelated package', () => {
    const bad = [
      'npx devsetup init',
      'exec npx --yes devsetup "$@"',
      'npx -y devsetup@0.1 doctor',
      'npm exec -- devsetup',
      'pnpm dlx devsetup',
      'npm install -g devsetup',
      '# Docs: https://www.npmjs.com/package/devsetup',
    ]
    const good = [
      NPX_COMMAND,
      `${NPX_COMMAND} doctor`,
      `npm install --save-dev ${PACKAGE_SPEC}`,
      `https://www.npmjs.com/package/${PACKAGE_NAME}`,
      'devsetup doctor',
      'npx husky',
    ]
    for (const text of bad) expect(text.match(fetchesUnrelated), text).not.toBeNull()
    for (const text of good) expect(text.match(fetchesUnrelated), text).toBeNull()
  })

  it('no shipped text runs or installs the bare name `devsetup`', () => {
    const files = shipped.flatMap(filesUnder)
    expect(files).toContain(path.join('src', 'cli.ts'))
    expect(files).toContain('README.md')
    const hits = files.flatMap((file) =>
      readFileSync(path.join(repoRoot, file), 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          (line.match(fetchesUnrelated) ?? []).map((hit) => `${file}:${index + 1}: ${hit}`),
        ),
    )
    expect(hits).toEqual([])
  })

  it('package.json publishes the name the hints use, in the release line they pin', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))
    expect(pkg.name).toBe(PACKAGE_NAME)
    expect(pkg.bin).toEqual({ devsetup: 'bin/devsetup.js' })
    // `repo-devsetup@0.1` must select this version: same major.minor while below 1.0.
    const [major, minor] = (pkg.version as string).split('.')
    expect(PACKAGE_SPEC).toBe(`${PACKAGE_NAME}@${major === '0' ? `0.${minor}` : major}`)
    expect(pkg.homepage).toBe(PACKAGE_HOME)
    expect(pkg.repository.url).toContain(new URL(PACKAGE_HOME).pathname)
    expect(existsSync(path.join(repoRoot, 'LICENSE'))).toBe(true)
  })

  it("runs no script in a consumer's install (npm warns of those), but builds before it packs", () => {
    const { scripts } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))
    const installScripts = ['preinstall', 'install', 'postinstall', 'prepare', 'dependencies']
    expect(Object.keys(scripts).filter((name) => installScripts.includes(name))).toEqual([])
    expect(scripts.prepack).toBe(scripts.build)
  })
})

/** A file at `relative` under a fresh folder (the bin script as npm lays it out), and that folder. */
function placed(relative: string): { dir: string; script: string } {
  const dir = tempRepo({}, { git: false })
  const script = path.join(dir, relative)
  mkdirSync(path.dirname(script), { recursive: true })
  writeFileSync(script, '')
  return { dir, script }
}

describe('the command devsetup names in its hints: the one running it', () => {
  it("npx's cache: the pinned npx command, even with another devsetup on PATH", () => {
    const { dir, script } = placed('_npx/4f2a/node_modules/repo-devsetup/bin/devsetup.js')
    const bin = path.join(dir, '_npx/4f2a/node_modules/.bin')
    mkdirSync(bin)
    symlinkSync(script, path.join(bin, 'devsetup'))
    expect(runningCommand(path.join(bin, 'devsetup'), { PATH: '/usr/bin' })).toBe(NPX_COMMAND)
  })

  it("a global install or `npm link`: `devsetup`, when PATH's devsetup is this very file", () => {
    const { dir, script } = placed('lib/node_modules/repo-devsetup/bin/devsetup.js')
    mkdirSync(path.join(dir, 'bin'))
    symlinkSync(script, path.join(dir, 'bin', 'devsetup'))
    const PATH = `/usr/bin${path.delimiter}${path.join(dir, 'bin')}`
    expect(runningCommand(path.join(dir, 'bin', 'devsetup'), { PATH })).toBe('devsetup')
    // The same file started by its own path (node bin/devsetup.js in the linked clone).
    expect(runningCommand(script, { PATH })).toBe('devsetup')
    // Another devsetup on PATH is not this one: the hint must not send the user there.
    const other = placed('clone/bin/devsetup.js')
    expect(runningCommand(other.script, { PATH })).toBe(`node ${other.script}`)
  })

  it("a project's own install: node_modules/.bin/devsetup, though npm scripts put it on PATH", () => {
    const { dir, script } = placed('app/node_modules/repo-devsetup/bin/devsetup.js')
    const bin = path.join(dir, 'app/node_modules/.bin')
    mkdirSync(bin)
    symlinkSync(script, path.join(bin, 'devsetup'))
    expect(runningCommand(path.join(bin, 'devsetup'), { PATH: bin })).toBe('node_modules/.bin/devsetup')
  })

  it('a clone run by its path: `node <path>`, quoted for a shell when it needs to be', () => {
    const plain = placed('devsetup/bin/devsetup.js')
    expect(runningCommand(plain.script, { PATH: '' })).toBe(`node ${plain.script}`)
    const spaced = placed("my tools/it's/bin/devsetup.js")
    expect(runningCommand(spaced.script, { PATH: '' })).toBe(
      `node '${spaced.script.replaceAll("'", `'\\''`)}'`,
    )
  })
})
