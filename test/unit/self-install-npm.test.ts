// Which npm goes with a node devsetup installs: the major the node line ships, the newest of it
// whose engines accept this node, else the newest older one that does.
import { beforeAll, describe, expect, it } from 'vitest'
import { npmMajorFor, pickNpm } from '../../src/steps/runtime/self-install/npm.js'
import { loadSemver } from '../../src/steps/runtime/semver.js'

beforeAll(loadSemver)

// As `npm view npm@<12 version engines.node --json` answers: old releases without engines are bare.
const listed = [
  { version: '6.9.2' },
  { version: '6.14.18', node: '6 >=6.2.0 || 8 || >=9.3.0' },
  { version: '8.19.4', node: '^12.13.0 || ^14.15.0 || >=16.0.0' },
  { version: '9.9.4', node: '^14.17.0 || ^16.13.0 || >=18.0.0' },
  { version: '10.9.9', node: '^18.17.0 || >=20.5.0' },
  { version: '11.0.0-pre.0', node: '^20.17.0 || >=22.9.0' },
  { version: '11.21.3', node: '^20.17.0 || >=22.9.0' },
]

describe('the npm for a node', () => {
  it.each([
    ['14.21.3', 6, '6.14.18'],
    ['16.7.0', 8, '8.19.4'],
    ['16.20.2', 8, '8.19.4'],
    ['18.20.8', 10, '10.9.9'],
    // npm 10 wants 18.17: an older 18 gets npm 9, which accepts it.
    ['18.0.0', 10, '9.9.4'],
    ['20.20.2', 10, '10.9.9'],
    ['22.12.0', 10, '10.9.9'],
    ['24.1.0', 11, '11.21.3'],
  ])('node %s: npm %i line, npm %s', (node, major, npm) => {
    expect(npmMajorFor(node)).toBe(major)
    expect(pickNpm(listed, node)).toBe(npm)
  })

  it('none that runs: undefined (the install says so)', () => {
    expect(pickNpm([{ version: '11.21.3', node: '>=22.9.0' }], '24.0.0')).toBe('11.21.3')
    expect(pickNpm([{ version: '11.21.3', node: '>=22.9.0' }], '20.0.0')).toBeUndefined()
  })
})
