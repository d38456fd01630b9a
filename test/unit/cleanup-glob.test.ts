// The cleanup step's own glob matcher (it must report symbolic links, which tinyglobby
// drops when not following them) and its load-time pattern rules.
import { mkdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expandBraces, globRegex, matchGlob } from '../../src/steps/cleanup/glob.js'
import { patternProblem } from '../../src/steps/cleanup/schema.js'
import { tempRepo } from '../helpers.js'

const skip = { skip: new Set(['.git', '.devsetup']) }

describe('cleanup globs', () => {
  it('expands braces, nested ones included', () => {
    expect(expandBraces('log/{a,b}.log')).toEqual(['log/a.log', 'log/b.log'])
    expect(expandBraces('{x,y/{1,2}}/z')).toEqual(['x/z', 'y/1/z', 'y/2/z'])
    expect(expandBraces('no-braces')).toEqual(['no-braces'])
  })

  it('translates *, **, ? and classes, with dot files matched', () => {
    expect(globRegex('log/*.log').test('log/.hidden.log')).toBe(true)
    expect(globRegex('log/*.log').test('log/a/b.log')).toBe(false)
    expect(globRegex('**/*.log').test('a/b/c.log')).toBe(true)
    expect(globRegex('**/*.log').test('c.log')).toBe(true)
    expect(globRegex('tmp/**').test('tmp/a/b')).toBe(true)
    expect(globRegex('tmp/**').test('tmp')).toBe(false)
    expect(globRegex('f?.[!0-4]').test('fa.7')).toBe(true)
    expect(globRegex('f?.[!0-4]').test('fa.3')).toBe(false)
    expect(globRegex('a(b)+c.txt').test('a(b)+c.txt')).toBe(true)
  })

  it('reports links as matches without entering them, and skips .git', () => {
    const dir = tempRepo({ 'log/a.log': '', 'log/deep/b.log': '', 'vendor/.git/x.log': '' })
    const outside = tempRepo({ 'inside.log': '' }, { git: false })
    symlinkSync(outside, path.join(dir, 'log/link'))
    symlinkSync(path.join(outside, 'inside.log'), path.join(dir, 'log/file.log'))
    expect(matchGlob('log/*', dir, skip).sort()).toEqual([
      'log/a.log',
      'log/deep',
      'log/file.log',
      'log/link',
    ])
    expect(matchGlob('**/*.log', dir, skip).sort()).toEqual(['log/a.log', 'log/deep/b.log', 'log/file.log'])
    mkdirSync(path.join(dir, 'node_modules/pkg'), { recursive: true })
    expect(matchGlob('**/pkg', dir, skip)).toEqual([])
    expect(matchGlob('node_modules/*', dir, skip)).toEqual(['node_modules/pkg'])
  })

  it('refuses patterns that leave the repository, name it whole, or name .git', () => {
    expect(patternProblem('tmp/cache')).toBeUndefined()
    expect(patternProblem('log/{a,b}/*.log')).toBeUndefined()
    expect(patternProblem('../x')).toMatch(/inside the repository/)
    expect(patternProblem('{..,tmp}/*')).toMatch(/inside the repository/)
    expect(patternProblem('/var/log')).toMatch(/inside the repository/)
    expect(patternProblem('./')).toMatch(/whole repository/)
    expect(patternProblem('sub/.git')).toMatch(/`.git` is never cleaned/)
    expect(patternProblem('.devsetup/logs/*')).toMatch(/`.devsetup` is never cleaned/)
  })
})

describe('cleanup globs: regressions (data loss)', () => {
  it('never lets a character class match `/` (negated, ^-negated or a range spanning it)', () => {
    expect(globRegex('tmp/**/a[!b]c').test('tmp/a/c')).toBe(false)
    expect(globRegex('tmp/**/a[!b]c').test('tmp/x/axc')).toBe(true)
    expect(globRegex('**/lib[!_]v').test('src/lib/v')).toBe(false)
    expect(globRegex('**/lib[!_]v').test('src/libxv')).toBe(true)
    expect(globRegex('a[^b]c').test('a/c')).toBe(false)
    expect(globRegex('a[^b]c').test('abc')).toBe(false)
    expect(globRegex('a[+-0]c').test('a/c')).toBe(false)
    expect(globRegex('a[+-0]c').test('a.c')).toBe(true)
  })

  it('matches escaped glob characters literally', () => {
    expect(globRegex('log/a\\[1\\].log').test('log/a[1].log')).toBe(true)
    expect(globRegex('log/a\\[1\\].log').test('log/a1.log')).toBe(false)
    expect(expandBraces('log/file\\{1,2\\}.txt')).toEqual(['log/file\\{1,2\\}.txt'])
  })

  it('refuses patterns that match everything at the top of the step folder', () => {
    for (const pattern of [
      '*',
      '**',
      '{*,tmp}',
      '*.*',
      '.*',
      '*/*',
      '**/*',
      '*/**',
      '?*',
      '[a-z]*',
      'x/..',
      'tmp/x/../..',
      'x/../*',
    ]) {
      expect(patternProblem(pattern), pattern).toMatch(/would delete everything/)
    }
    for (const pattern of [
      '*.log',
      '**/*.log',
      'tmp/*',
      'tmp/**',
      '*/node_modules',
      'log/a[1].log',
      'tmp/x/..',
    ]) {
      expect(patternProblem(pattern), pattern).toBeUndefined()
    }
  })

  it('refuses an invalid character class instead of crashing', () => {
    expect(patternProblem('log/[z-a].log')).toMatch(/invalid character class/)
  })
})
