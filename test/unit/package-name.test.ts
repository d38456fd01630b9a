// The public npm name `devsetup` belongs to an unrelated package (its bin is `ubusetup`, its scripts
// run sudo). No text we ship may send a user there: every way to run devsetup names our package.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { NPX_COMMAND, PACKAGE_NAME, PACKAGE_SPEC } from '../../src/package-name.js'
import { repoRoot } from '../helpers.js'

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
  })
})
