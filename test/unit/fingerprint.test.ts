// Fingerprints match files without tinyglobby for the simplest patterns (src/engine/fingerprint.ts
// matchSimple); every answer here is checked against tinyglobby's own, on a tree with the awkward
// cases: dot files, links (to files, folders, nowhere), folders named like files, ignored folders.
import { mkdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { glob, isDynamicPattern } from 'tinyglobby'
import { beforeAll, describe, expect, it } from 'vitest'
import { fingerprintFiles, matchFiles, matchSimple, mayBeGlob } from '../../src/engine/fingerprint.js'
import { tempRepo } from '../helpers.js'

let dir: string
const viaTinyglobby = async (patterns: string[]) =>
  (
    await glob(patterns, {
      cwd: dir,
      ignore: ['**/node_modules/**', '**/.git/**', '**/.devsetup/**'],
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: true,
    })
  ).sort()

beforeAll(() => {
  dir = tempRepo({
    'a/x.css': 'x',
    'a/.css': '',
    'a/.y.css': '',
    'a/css': '',
    'a/y.CSS': '',
    'a/z.css.bak': '',
    'a/w[1].css': '',
    'a/ab.cd.css': '',
    'a/node_modules/q.css': '',
    'b/only.sql': '',
    'db/migrations/001.sql': '1',
    'db/migrations/002.sql': '2',
    'top.json': '{}',
    '.hidden.json': '',
    'node_modules/p/index.js': '',
  })
  mkdirSync(path.join(dir, 'a/sub.css'))
  symlinkSync('x.css', path.join(dir, 'b/link.sql'))
  symlinkSync('nowhere', path.join(dir, 'b/broken.sql'))
  symlinkSync('../a', path.join(dir, 'linked'))
})

const taken = [
  ['a/*.css'],
  ['a/*css*'],
  ['a/x*'],
  ['a/*.c*s'],
  ['a/*.*.css'],
  ['a/x.css'],
  ['a/sub.css'],
  ['a/nope'],
  ['a/nope/*.css'],
  ['nope/*.css'],
  ['db/migrations/*.sql'],
  ['db/migrations/*.sql', 'db/migrations/001.sql', 'top.json'],
  ['*.json'],
  ['linked/x.css'],
  ['linked/*.css'],
  ['b/link.sql'],
  ['b/broken.sql'],
  ['a/x.css', 'a/*.css'],
]

const leftToTinyglobby = [
  ['a/**'],
  ['**/*.css'],
  ['a/?.css'],
  ['a/{x,y}.css'],
  ['a/[wx]*.css'],
  ['*/x.css'],
  ['a/node_modules/*.css'],
  ['node_modules/p/index.js'],
  ['./a/x.css'],
  ['a//x.css'],
  ['../x.css'],
  ['!a/x.css'],
  ['b/*.sql'], // b holds links
  ['*'], // the repository's .git folder matches
  ['a/*'], // so does a/node_modules
]

describe('fingerprint: the simple patterns, without tinyglobby', () => {
  it.each(taken)('%j finds what tinyglobby finds', async (...patterns) => {
    const simple = await matchSimple(patterns, dir)
    expect(simple).toBeDefined()
    expect(simple).toEqual(await viaTinyglobby(patterns))
  })

  it.each(leftToTinyglobby)('%j is left to tinyglobby, with its answer', async (...patterns) => {
    expect(await matchSimple(patterns, dir)).toBeUndefined()
    expect(await matchFiles(patterns, dir)).toEqual(await viaTinyglobby(patterns))
  })

  it('the fingerprint covers names and contents of what matched', async () => {
    const first = await fingerprintFiles(['db/migrations/*.sql'], dir)
    expect(first.files).toBe(2)
    const other = tempRepo({ 'db/migrations/001.sql': '1', 'db/migrations/002.sql': '2!' })
    expect((await fingerprintFiles(['db/migrations/*.sql'], other)).hash).not.toBe(first.hash)
  })

  it('mayBeGlob is false only where tinyglobby sees a plain path', () => {
    const samples = [
      'a/b.css',
      'log',
      'tmp/cache',
      'node_modules/.bin/tsc',
      'a b/c#d$e%f&g=h,i;j~k',
      'ünïcode/ファイル',
      '.env',
      'a/*.css',
      'a?',
      '[ab]',
      '{a,b}',
      '!(a)',
      '@(a)',
      '+(a)',
      '!a',
      'a\\*',
    ]
    for (const sample of samples) if (!mayBeGlob(sample)) expect(isDynamicPattern(sample), sample).toBe(false)
    expect(samples.filter((s) => !mayBeGlob(s))).toHaveLength(7)
  })
})
