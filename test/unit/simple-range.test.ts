// The semver-free fast path for plain version ranges (src/steps/runtime/simple-range.ts) must give
// exactly semver's answers: every range and version below is asked of both.
import semver from 'semver'
import { describe, expect, it } from 'vitest'
import { simpleSatisfies, simpleValidRange, simpleVersion } from '../../src/steps/runtime/simple-range.js'
import { parseSpec, satisfies } from '../../src/steps/runtime/spec.js'

const loose = { loose: true }
const numbers = ['1', '2', '3', '9', '10', '11', '19', '20', '21', '999999999']
const ops = ['', '>=', '>', '<=', '<']

/** Every operator with every partial and full version built from a few numbers. */
function tokens(): string[] {
  const out: string[] = []
  for (const op of ops)
    for (const M of ['1', '20', '999999999'])
      for (const rest of ['', '.0', '.5', '.5.0', '.5.1', '.0.0', '.11.999999999'])
        out.push(`${op}${M}${rest}`)
  return out
}

const singles = tokens()
const pairs = ['>=20.5', '>18', '<=20', '<21.0.0', '>=3.11', '<3.13', '>1.2.3', '<=1.2'].flatMap((a) =>
  ['>=20.5', '<23', '<=20.5', '>20', '<3.13', '>=3.11', '>=20.5.0'].map((b) => `${a} ${b}`),
)
const refused = [
  '>=0',
  '<0',
  '0',
  '>=0.5',
  '>= 20',
  '>=v20',
  '=20',
  '^20.5',
  '~3.11',
  '20.x',
  '*',
  '>=20 || <18',
  '20 - 22',
  '>=020',
  '>=1234567890',
  '>=20.5.1-0',
  '<20.5-0',
  '20.5.1-rc.1',
  '20 21',
  '20.1.1 21.1.1',
  '>=20.1.1+build',
  '',
]
const versions = [
  ...numbers.flatMap((M) =>
    ['0.0', '0.1', '5.0', '5.1', '5.2', '11.999999999', '12.0'].map((r) => `${M}.${r}`),
  ),
  '20.20.2',
  '3.12.4',
  '0.5.0',
]

describe('plain version ranges without semver', () => {
  it.each([...singles, ...pairs, '  >=20.5\t<23 ', '>=20.5 >=20.5.0 >=20.5'])(
    '%s: the range semver reads',
    (range) => {
      const expected = semver.validRange(range, loose)
      expect(expected).not.toBeNull()
      const simple = simpleValidRange(range)
      // A bare full version among other comparators is left to semver; everything else is taken.
      if (simple === undefined) expect(range.split(/\s+/).length).toBeGreaterThan(1)
      else expect(simple).toBe(expected)
    },
  )

  it.each(refused)('%j is left to semver', (range) => {
    expect(simpleValidRange(range)).toBeUndefined()
    expect(simpleSatisfies('20.20.2', range)).toBeUndefined()
  })

  it('satisfies as semver does, for every version against every range and its normal form', () => {
    const ranges = [...singles, ...pairs].flatMap((r) => [r, semver.validRange(r, loose)!])
    let compared = 0
    for (const range of ranges) {
      for (const version of versions) {
        const simple = simpleSatisfies(version, range)
        if (simple === undefined) continue
        compared++
        expect(simple, `${version} vs ${range}`).toBe(semver.satisfies(version, range, loose))
      }
    }
    // The fast path answered for nearly all of them (not a table it silently skipped).
    expect(compared).toBeGreaterThan(ranges.length * versions.length * 0.9)
  })

  it('reads only plain release versions', () => {
    expect(simpleVersion('20.20.2')).toEqual([20, 20, 2])
    for (const version of ['v20.1.0', '20.1', '20.1.0-rc.1', '20.1.0+b', '020.1.0', '1.2.3.4', ' 1.2.3'])
      expect(simpleVersion(version)).toBeUndefined()
    expect(simpleSatisfies('20.1.0-rc.1', '>=20')).toBeUndefined()
  })

  it('a spec parsed on the fast path behaves as one parsed by semver, install target included', () => {
    const options = { allowLts: true, installByMajor: true }
    for (const raw of ['>=20.5', '>=18 <23', '<20', '>20.5.1', '<=16']) {
      const spec = parseSpec(raw, options)
      if (typeof spec === 'string') throw new Error(spec)
      const range = semver.validRange(raw, loose)!
      expect(spec.range).toBe(range)
      for (const version of versions)
        expect(satisfies(version, spec), `${version} vs ${raw}`).toBe(semver.satisfies(version, range, loose))
    }
    expect((parseSpec('>=20.5', options) as { installTarget: string }).installTarget).toBe('24')
  })
})
