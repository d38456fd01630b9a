// The cleanup step's own glob matcher (it must report symbolic links, which tinyglobby
// drops when not following them) and its load-time pattern rules.
import { mkdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expandBraces, globRegex, matchGlob } from '../../src/steps/cleanup/glob.js'
import { patternProblem } from '../../src/steps/cleanup.js'
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
