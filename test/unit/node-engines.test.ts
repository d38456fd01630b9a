// Reading the Node a project's dependencies need from its lockfile: npm's v3 and pnpm's v6/v9
// formats, optional packages left out, and the lowest version all ranges accept.
import semver from 'semver'
import { describe, expect, it } from 'vitest'
import { lockfileNode } from '../../src/init/node-engines.js'
import { RepoProbe } from '../../src/init/repo.js'
import {
  installedNeeds,
  lowestSatisfyingAll,
  needsInPackageLock,
  needsInPnpmLock,
  refusing,
} from '../../src/steps/dependencies/node-engines.js'
import { tempRepo } from '../helpers.js'

describe('the node dependencies need', () => {
  it('package-lock v3: every package but the root and the optional ones', () => {
    const lock = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', engines: { node: '>=20' } },
        'node_modules/undici': { version: '8.1.0', engines: { node: '>=22.19.0' } },
        'node_modules/a/node_modules/@s/b': { version: '1.0.0', dev: true, engines: { node: '>=18' } },
        'node_modules/fsevents': { version: '2.3.3', optional: true, engines: { node: '>=99' } },
        'node_modules/old': { version: '0.1.0', engines: ['node >= 0.4'] },
      },
    })
    expect(needsInPackageLock(lock).map((n) => `${n.pkg} ${n.range}`)).toEqual([
      'undici@8.1.0 >=22.19.0',
      '@s/b@1.0.0 >=18',
    ])
  })

  it('pnpm-lock v9 (optional on every snapshot) and v6 (optional on the package)', () => {
    const v9 = `lockfileVersion: '9.0'
packages:
  undici@8.1.0:
    resolution: {integrity: sha512-x}
    engines: {node: '>=22.19.0'}
  fsevents@2.3.3:
    resolution: {integrity: sha512-y}
    engines: {node: '>=99'}
snapshots:
  undici@8.1.0: {}
  fsevents@2.3.3:
    optional: true
`
    expect(needsInPnpmLock(v9).map((n) => n.pkg)).toEqual(['undici@8.1.0'])
    const v6 = `lockfileVersion: '6.0'
packages:
  /undici@8.1.0:
    resolution: {integrity: sha512-x}
    engines: {node: '>=22.19.0'}
    dev: false
  /fsevents@2.3.3:
    resolution: {integrity: sha512-y}
    engines: {node: '>=99'}
    optional: true
`
    expect(needsInPnpmLock(v6).map((n) => `${n.pkg} ${n.range}`)).toEqual(['undici@8.1.0 >=22.19.0'])
  })

  it('the lowest version every range accepts, or none', () => {
    expect(lowestSatisfyingAll(['>=20', '>=22.19.0', '^18.18.0 || ^20.9.0 || >=21.1.0'])).toBe('22.19.0')
    expect(lowestSatisfyingAll(['^20 || ^22', '>=20.18.1'])).toBe('20.18.1')
    expect(lowestSatisfyingAll(['20', '>=22.19.0'])).toBeUndefined()
  })

  it('what a version refuses, the strictest first', () => {
    const needs = [
      { pkg: 'a@1', range: '>=21', where: 'x' },
      { pkg: 'b@1', range: '>=22.19.0', where: 'x' },
      { pkg: 'c@1', range: '>=18', where: 'x' },
    ]
    expect(refusing(needs, '20.20.2').map((n) => n.pkg)).toEqual(['b@1', 'a@1'])
    expect(refusing(needs, 'v22.19.0')).toEqual([])
  })

  it("the app's `||` pin keeps its higher lines when a dependency raises the floor", () => {
    const repo = (own: string, dep: string) =>
      lockfileNode(
        new RepoProbe(
          tempRepo({
            'package.json': JSON.stringify({ name: 'app', engines: { node: own } }),
            'package-lock.json': JSON.stringify({
              lockfileVersion: 3,
              packages: {
                '': { name: 'app' },
                'node_modules/dep': { version: '1.0.0', engines: { node: dep } },
              },
            }),
          }),
        ),
      )?.version
    expect(repo('^18 || ^20', '>=18.17')).toBe('>=18.17 ^18 || ^20')
    expect(repo('^18 || ^20 || ^22', '>=20.5')).toBe('>=20.5 ^20 || ^22')
    expect(repo('>=20', '>=22.19')).toBe('>=22.19')
  })

  it("keeps a dependency's upper limits: the range is what the pin and every dependency accept", () => {
    // kener: engines >=24 and better-sqlite3 up to 25.x; node 26 must not be picked.
    const lock = (deps: Record<string, string>) =>
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'app' },
          ...Object.fromEntries(
            Object.entries(deps).map(([name, node]) => [
              `node_modules/${name}`,
              { version: '1.0.0', engines: { node } },
            ]),
          ),
        },
      })
    const found = (own: string | undefined, deps: Record<string, string>) =>
      lockfileNode(
        new RepoProbe(
          tempRepo({
            'package.json': JSON.stringify({ name: 'app', ...(own ? { engines: { node: own } } : {}) }),
            'package-lock.json': lock(deps),
          }),
        ),
      )
    const sqlite = '20.x || 22.x || 23.x || 24.x || 25.x'
    const kener = found('>=24', { 'better-sqlite3': sqlite, 'other-tool': '>=18' })
    expect(kener?.version).toBe('24.x || 25.x')
    expect(semver.satisfies('26.0.0', kener!.version!)).toBe(false)
    expect(kener?.why).toMatch(/better-sqlite3@1\.0\.0 engines\.node 20\.x .*: node 24\.x \|\| 25\.x/)
    // No pin: two dependencies' limits, each kept.
    expect(found(undefined, { a: '>=22.12', b: '^20.19 || ^22.12 || >=24' })?.version).toBe('^22.12 || >=24')
    // Limits no node meets together: said, no version.
    expect(found('>=24', { 'better-sqlite3': '20.x || 22.x' })).toMatchObject({
      version: undefined,
      why: expect.stringMatching(
        /better-sqlite3@1\.0\.0 engines\.node 20\.x \|\| 22\.x, which package\.json engines\.node \(>=24\) does not allow/,
      ),
    })
  })
})

describe('the node installed packages need', () => {
  const pkg = (name: string, extra: Record<string, unknown>) =>
    JSON.stringify({ name, version: '1.0.0', ...extra })
  it('leaves out an optional dependency of another package, unless the app depends on it itself', async () => {
    const files = {
      'node_modules/watchpack/package.json': pkg('watchpack', {
        optionalDependencies: { 'watchpack-chokidar2': '^2.0.0' },
      }),
      'node_modules/watchpack-chokidar2/package.json': pkg('watchpack-chokidar2', {
        engines: { node: '<8.10.0' },
      }),
      'node_modules/undici/package.json': pkg('undici', { engines: { node: '>=22.19.0' } }),
    }
    const app = tempRepo({ ...files, 'package.json': pkg('app', { dependencies: { undici: '^8' } }) })
    expect((await installedNeeds(app)).map((n) => n.pkg)).toEqual(['undici@1.0.0'])
    const direct = tempRepo({
      ...files,
      'package.json': pkg('app', { dependencies: { 'watchpack-chokidar2': '^2' } }),
    })
    expect((await installedNeeds(direct)).map((n) => n.pkg).sort()).toEqual([
      'undici@1.0.0',
      'watchpack-chokidar2@1.0.0',
    ])
  })
})
