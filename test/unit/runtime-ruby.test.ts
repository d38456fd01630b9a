// How the runtime step reads a wanted Ruby: RubyGems requirements as Bundler means them,
// .ruby-version's prefixed forms, the Gemfile's `ruby` line in its several spellings.
import semver from 'semver'
import { describe, expect, it } from 'vitest'
import { languages } from '../../src/steps/runtime/languages.js'
import { gemRequirementRange, readGemfileRubyLine } from '../../src/steps/runtime/ruby.js'
import { coerceVersion, parseSpec, satisfies } from '../../src/steps/runtime/spec.js'
import { resolveWanted, specOptions } from '../../src/steps/runtime/want.js'
import { tempRepo } from '../helpers.js'

const ruby = languages.ruby!
const rubySpec = (raw: string) => {
  const parsed = parseSpec(raw, specOptions(ruby))
  if (typeof parsed === 'string') throw new Error(parsed)
  return parsed
}

describe('RubyGems requirements', () => {
  it.each([
    // `~>` bumps the next-to-last segment: ~> 3.1 allows every 3.x from 3.1 on.
    ['~> 3.1', '3.1.2', true],
    ['~> 3.1', '3.4.1', true],
    ['~> 3.1', '4.0.0', false],
    ['~> 3.1', '3.0.6', false],
    ['~> 3.1.2', '3.1.7', true],
    ['~> 3.1.2', '3.2.0', false],
    ['~> 3.1.2', '3.1.1', false],
    ['~> 3', '3.9.0', true],
    ['>= 3.0, < 3.2', '3.1.2', true],
    ['>= 3.0, < 3.2', '3.2.0', false],
    ['= 3.1.2', '3.1.2', true],
    ['= 3.1.2', '3.1.3', false],
    ['3.1.2', '3.1.2', true],
    ['3.1', '3.1.2', true],
  ])('%s with %s → %s', (raw, version, expected) => {
    expect(satisfies(version, rubySpec(raw))).toBe(expected)
  })

  it('keeps the requirement as written for messages, and installs the lowest line it allows', () => {
    expect(rubySpec('~> 3.1')).toMatchObject({
      raw: '~> 3.1',
      range: '>=3.1.0 <4.0.0-0',
      installTarget: '3.1',
    })
    expect(rubySpec('~> 3.1.2').installTarget).toBe('3.1')
    expect(rubySpec('= 3.2.4').installTarget).toBe('3.2.4')
  })

  it('leaves what is not a gem requirement to the usual spec grammar', () => {
    expect(gemRequirementRange('3.1.2')).toBeUndefined()
    expect(gemRequirementRange('~> banana')).toBeUndefined()
    expect(parseSpec('~> banana', specOptions(ruby))).toMatch(/^not a version/)
    // Not ruby: semver's tilde as before.
    expect(parseSpec('~3.1', { allowLts: false, installByMajor: false })).toMatchObject({
      range: '>=3.1.0 <3.2.0-0',
    })
  })
})

describe('.ruby-version forms', () => {
  it.each([
    ['3.2.4\n', '3.2.4'],
    ['ruby-3.2.4\n', '3.2.4'],
    ['ruby-3.2.4-p170\n', '3.2.4'],
    ['2.7.8p225\n', '2.7.8'],
    ['ruby-3.2.4@myapp\n', '3.2.4'],
    ['ruby-3.2\n', '3.2'],
  ])('%j wants %s', async (text, raw) => {
    const repo = tempRepo({ '.ruby-version': text })
    const wanted = await resolveWanted(ruby, undefined, { cwd: repo, root: repo })
    expect(wanted).toMatchObject({ source: '.ruby-version', spec: { raw } })
  })
})

describe('the Gemfile’s ruby line', () => {
  it.each([
    [`ruby "3.1.2"`, { value: '3.1.2' }],
    [`ruby '~> 3.1'`, { value: '~> 3.1' }],
    [`ruby ">= 3.0", "< 3.4", engine: "ruby"`, { value: '>= 3.0, < 3.4' }],
    [`ruby("3.2.4")`, { value: '3.2.4' }],
    [`ruby file: ".ruby-version"`, { see: '.ruby-version' }],
    [`ruby :file => ".tool-versions"`, { see: '.tool-versions' }],
    [`ruby File.read(".ruby-version").strip`, { see: '.ruby-version' }],
    [`ruby File.read(File.join(__dir__, ".ruby-version")).chomp`, { see: '.ruby-version' }],
    [`ruby IO.read(File.expand_path("../.ruby-version", __FILE__))`, { see: '.ruby-version' }],
    ['ruby RUBY_VERSION', undefined],
    [`gem "ruby-progressbar"`, undefined],
    [`# ruby "2.0.0"`, undefined],
  ])('%s', (line, expected) => {
    expect(readGemfileRubyLine(line)).toEqual(expected)
  })

  it('reads the requirement, and follows `file:` to the file it names', async () => {
    const gemfile = (line: string) => `source "https://rubygems.org"\n\n${line}\ngem "rails"\n`
    const ranged = tempRepo({ Gemfile: gemfile(`ruby "~> 3.1"`) })
    expect(await resolveWanted(ruby, undefined, { cwd: ranged, root: ranged })).toMatchObject({
      source: 'Gemfile',
      spec: { raw: '~> 3.1' },
    })
    const viaToolVersions = tempRepo({
      Gemfile: gemfile(`ruby file: ".tool-versions"`),
      '.tool-versions': 'nodejs 20.1.0\nruby 3.2.4\n',
    })
    expect(
      await resolveWanted(ruby, undefined, { cwd: viaToolVersions, root: viaToolVersions }),
    ).toMatchObject({
      source: '.tool-versions',
      spec: { raw: '3.2.4' },
    })
    const dangling = tempRepo({ Gemfile: gemfile(`ruby file: ".ruby-version"`) })
    expect(await resolveWanted(ruby, undefined, { cwd: dangling, root: dangling })).toBe(
      'Gemfile:3: reads the ruby version from .ruby-version, which does not exist',
    )
    const outside = tempRepo({ Gemfile: gemfile(`ruby file: "../.ruby-version"`) })
    expect(await resolveWanted(ruby, undefined, { cwd: outside, root: outside })).toBe(
      'Gemfile:3: `../.ruby-version`: expected a version file inside the repository',
    )
  })
})

describe('reading a version from a tool’s output without semver', () => {
  it.each([
    'ruby 3.2.4p170 (2024-04-23 revision af471c0e01) [x86_64-linux]',
    'ruby 3.1.2p20 (2022-04-12 revision 4491bb740a) [x86_64-linux-gnu]',
    'Python 3.11.2',
    'go version go1.22 linux/amd64',
    'v20.020.3',
    'no version here',
    'build 12345678901 then 1.2.3',
    '7',
  ])('%s: what semver.coerce reads', (output) => {
    expect(coerceVersion(output)).toBe(semver.coerce(output, { loose: true })?.version)
  })
})
