// The dependencies check cuts each key of node_modules/.package-lock.json at its last slash
// (src/steps/dependencies/own-record.ts splitFolder) instead of asking node:path twice per package:
// it must give node:path's own answers, for npm's keys and for any odd one.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { splitFolder } from '../../src/steps/dependencies/own-record.js'

const keys = [
  'node_modules/a',
  'node_modules/@scope/b',
  'node_modules/a/node_modules/b',
  'node_modules/a/node_modules/@s/c',
  'node_modules/.bin',
  'node_modules/a.b-c_d',
  'node_modules/a/',
  'node_modules//a',
  'node_modules/a//b',
  'node_modules/',
  'node_modules',
  '/node_modules/a',
  '/a',
  'a',
  '',
  '//',
  'node_modules/a/.',
  'node_modules/a/..',
]

describe('splitFolder', () => {
  it.each(keys)('%j: the dirname and basename node:path gives', (key) => {
    expect(splitFolder(key)).toEqual([path.posix.dirname(key), path.posix.basename(key)])
  })
})
