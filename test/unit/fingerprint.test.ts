// Fingerprints match files without tinyglobby for the simplest patterns (src/engine/fingerprint.ts
// matchSimple); every answer here is checked against tinyglobby's own, on a tree with the awkward
// cases: dot files, links (to files, folders, nowhere), folders named like files, ignored folders.
import { spawnSync } from 'node:child_process'
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
    'd/x.css': 'x',
    'd/.css': '',
    'd/.y.css': '',
    'd/css': '',
    'd/y.CSS': '',
    'd/z.css.bak': '',
    'd/w[1].css': '',
    'd/ab.cd.css': '',
    'd/dir/inside.css': '',
    'a/x.css': '',
    'a/sub.css/inner.txt': '',
    'a/node_modules/q.css': '',
    'b/only.sql': '',
    'db/migrations/001.sql': '1',
    'db/migrations/002.sql': '2',
    'top.json': '{}',
    '.hidden.json': '',
    'node_modules/p/index.js': '',
  })
  symlinkSync('only.sql', path.join(dir, 'b/link.sql'))
  symlinkSync('nowhere', path.join(dir, 'b/broken.sql'))
  symlinkSync('d', path.join(dir, 'linked'))
  mkdirSync(path.join(dir, 'c'))
  spawnSync('mkfifo', [path.join(dir, 'c/fifo')])
})

const taken = [
  ['d/*.css'],
  ['d/*'], // d/dir is left out: a pattern ending in * does not expand folders
  ['d/*css*'],
  ['d/x*'],
  ['d/di*'],
  ['d/*.c*s'],
  ['d/*.*.css'],
  ['d/x.css'],
  ['d/nope'],
  ['d/nope/*.css'],
  ['nope/*.css'],
  ['db/migrations/*.sql'],
  ['db/migrations/*.sql', 'db/migrations/001.sql', 'top.json'],
  ['*.json'],
  ['linked/x.css'],
  ['linked/*.css'],
  ['b/only.sql'],
  ['d/X.css'],
  ['d/x.css', 'd/*.css'],
]

const leftToTinyglobby = [
  ['a/*.css'], // a/sub.css is a folder: tinyglobby expands it (a/*.css/**)
  ['a/sub.css'],
  ['a'],
  ['linked'],
  ['d/*r'],
  ['a/**'],
  ['**/*.css'],
  ['d/?.css'],
  ['d/{x,y}.css'],
  ['d/[wx]*.css'],
  ['*/x.css'],
  ['a/node_modules/*.css'],
  ['node_modules/p/index.js'],
  ['./d/x.css'],
  ['d//x.css'],
  ['../x.css'],
  ['!d/x.css'],
  ['b/*.sql'], // b holds links
  ['b/link.sql'],
  ['b/broken.sql'],
  ['*'], // the repository's .git folder matches
  ['a/*'], // so does a/node_modules
  ['c/fifo'],
  ['c/*'],
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

  it('the tree above does exercise links and dot files on the fast path', async () => {
    expect(await matchSimple(['linked/*.css', 'linked/x.css', '.hidden.json'], dir)).toEqual([
      '.hidden.json',
      'linked/.css',
      'linked/.y.css',
      'linked/ab.cd.css',
      'linked/w[1].css',
      'linked/x.css',
    ])
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
