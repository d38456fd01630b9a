// The runtime step on a machine without a version manager: devsetup installs node itself from the
// npm registry (the real registry, a real download) into its cache folder. One download for the
// whole file: every test shares the cache folder and npm's own cache.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { registryPackage } from '../../src/steps/runtime/self-install/packages.js'
import { type CliResult, events, fakeBin, runCli, tempRepo } from '../helpers.js'
import { realNpm, selfInstallFolders, systemPath } from './self-install-env.js'

const systemNode = /v(\d+)\.\d+\.\d+/.exec(
  spawnSync('node', ['--version'], { encoding: 'utf8', env: { ...process.env, PATH: systemPath } }).stdout,
)!
const wanted = Number(systemNode[1]) + 2
const pkg = registryPackage('node')

// Shared by every test: devsetup's cache, npm's cache, and a folder holding only the real npm.
const { shared, cacheDir, env } = selfInstallFolders()
const nodeDir = path.join(cacheDir, 'runtimes', 'node')

const recipe = `version: 1
steps:
  - runtime: node
  - name: sees the new node
    run: exit 1
    check: node --version | grep -q '^v${wanted}\\.'
  - name: record node
    run: node --version > seen.txt
    creates: seen.txt
`

const stepEnds = (result: CliResult) => events(result.stdout).filter((e) => e.event === 'step:end')
const installedVersions = () => readdirSync(nodeDir).filter((name) => /^\d/.test(name))

// The one real download, shared by the tests that need an installed node.
let firstRun: Promise<{ repo: string; result: CliResult }> | undefined
function installOnce() {
  firstRun ??= (async () => {
    const repo = tempRepo({ '.nvmrc': `${wanted}\n`, 'devsetup.yml': recipe })
    const result = await runCli(['up', '--verbose'], { cwd: repo, env: env(repo), timeoutMs: 280_000 })
    return { repo, result }
  })()
  return firstRun
}

describe.skipIf(!pkg || !realNpm)(
  'runtime: devsetup installs node itself when no manager is installed',
  () => {
    it('downloads the wanted major into its cache; the next steps of the run use it', {
      timeout: 300_000,
    }, async () => {
      const { repo, result } = await installOnce()
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const [version] = installedVersions()
      expect(version).toMatch(new RegExp(`^${wanted}\\.\\d+\\.\\d+$`))
      const binDir = path.join(nodeDir, version!, 'bin')
      expect(result.stdout).toContain(
        `changed: node ${version} installed by devsetup in ${binDir} (.nvmrc wants ${wanted}); later steps use it`,
      )
      // The exact line for the developer's shell, and nothing written to their shell files.
      expect(result.stdout).toContain(`export PATH="${binDir}:$PATH"`)
      expect(existsSync(path.join(repo, '.bashrc'))).toBe(false)
      expect(result.stdout).toContain('✔ sees the new node — ok: check passed')
      expect(readFileSync(path.join(repo, 'seen.txt'), 'utf8').trim()).toBe(`v${version}`)
      // No temp folder left behind, and npm's "new version" banner kept out of the output.
      expect(readdirSync(nodeDir)).toEqual([version])
      expect(result.stdout).not.toContain('New minor version of npm')
    })

    it('a second run, and another repository, find it in the cache without calling npm', {
      timeout: 300_000,
    }, async () => {
      const { repo } = await installOnce()
      const [version] = installedVersions()
      // Any npm call now is logged and fails: proof that nothing is downloaded or even looked up.
      const spy = path.join(shared, 'spy-bin')
      fakeBin(spy, 'npm', `echo "$*" >> "${spy}/calls.log"; exit 1`)
      const second = await runCli(['up', '--json'], { cwd: repo, env: env(repo, {}, [spy]) })
      expect(second.code).toBe(0)
      const [runtime, sees] = stepEnds(second)
      expect(runtime).toMatchObject({ status: 'ok' })
      expect(runtime!.reason).toContain(`node ${version} (installed by devsetup; your shell still has`)
      expect(runtime!.reason).toContain(`export PATH="${path.join(nodeDir, version!, 'bin')}:$PATH"`)
      expect(sees).toMatchObject({ status: 'ok' })
      // doctor hands the later checks the PATH up would: `node --version` there is the new one.
      const doctor = await runCli(['doctor', '--json'], { cwd: repo, env: env(repo, {}, [spy]) })
      expect(stepEnds(doctor).map((e) => e.status)).toEqual(['ok', 'ok', 'ok'])
      expect(doctor.code).toBe(0)

      const other = tempRepo({ '.nvmrc': `${wanted}\n`, 'devsetup.yml': recipe })
      const third = await runCli(['up', '--json'], { cwd: other, env: env(other, {}, [spy]) })
      expect(third.code).toBe(0)
      expect(stepEnds(third).map((e) => e.status)).toEqual(['ok', 'ok', 'changed'])
      expect(readFileSync(path.join(other, 'seen.txt'), 'utf8').trim()).toBe(`v${version}`)
      expect(existsSync(path.join(spy, 'calls.log'))).toBe(false)
    })

    it('a repository keeps the cached node its up used: a newer one another repository adds later does not switch it', {
      timeout: 300_000,
    }, async () => {
      const { repo: first } = await installOnce()
      const [version] = installedVersions()
      const repo = tempRepo({ '.nvmrc': `${wanted}\n`, 'devsetup.yml': recipe })
      // Found in the cache, not installed by this repository's run.
      const up = await runCli(['up', '--json'], { cwd: repo, env: env(repo) })
      expect(up.code, up.stdout).toBe(0)
      expect(stepEnds(up)[0]).toMatchObject({ status: 'ok' })
      // Another repository's run puts a newer node of the same major in the cache: a whole copy
      // (its npm beside it) whose node says it is that version.
      const newer = path.join(nodeDir, `${wanted}.99.0`)
      spawnSync('cp', ['-a', path.join(nodeDir, version!), newer])
      const real = path.join(nodeDir, version!, 'bin', 'node')
      writeFileSync(
        path.join(newer, 'bin', 'node'),
        `#!/bin/sh\n[ "$1" = --version ] && { echo v${wanted}.99.0; exit 0; }\nexec ${real} "$@"\n`,
      )
      try {
        for (const dir of [repo, first]) {
          const doctor = await runCli(['doctor', '--json'], { cwd: dir, env: env(dir) })
          expect(doctor.code, doctor.stdout).toBe(0)
          expect(stepEnds(doctor)[0]!.reason).toContain(`node ${version} (installed by devsetup`)
        }
        // `up --force` installs it again: the same version, from the cache, not the newer one.
        const runtimeId = String(stepEnds(up)[0]!.step)
        const forced = await runCli(['up', '--force', '--only', runtimeId, '--json'], {
          cwd: repo,
          env: env(repo),
        })
        expect(forced.code, forced.stdout).toBe(0)
        expect(stepEnds(forced)[0]!.reason).toContain(`node ${version} installed by devsetup`)
        // A repository that never used one takes the newest.
        const fresh = tempRepo({ '.nvmrc': `${wanted}\n`, 'devsetup.yml': recipe })
        const doctor = await runCli(['doctor', '--json'], { cwd: fresh, env: env(fresh) })
        expect(stepEnds(doctor)[0]!.reason).toContain(`node ${wanted}.99.0 (installed by devsetup`)
      } finally {
        spawnSync('rm', ['-rf', newer])
      }
    })

    it('a cached node that no longer runs is reported by doctor and reinstalled by up', {
      timeout: 300_000,
    }, async () => {
      const { repo } = await installOnce()
      const [version] = installedVersions()
      const binary = path.join(nodeDir, version!, 'bin', 'node')
      writeFileSync(binary, 'half a download') // still executable, no longer a program

      const doctor = await runCli(['doctor', '--json'], { cwd: repo, env: env(repo) })
      expect(doctor.code).toBe(1)
      const [runtime] = stepEnds(doctor)
      expect(runtime).toMatchObject({ status: 'unmet' })
      expect(runtime!.reason).toContain(
        `devsetup's node ${version} in ${path.join(nodeDir, version!)} does not run`,
      )

      const up = await runCli(['up', '--verbose'], { cwd: repo, env: env(repo), timeoutMs: 280_000 })
      expect(up.code).toBe(0)
      expect(up.stdout).toContain('does not run')
      expect(up.stdout).toContain(`changed: node ${version} installed by devsetup`)
      const works = spawnSync(binary, ['--version'], { encoding: 'utf8' })
      expect(works.stdout.trim()).toBe(`v${version}`)
      expect(readdirSync(nodeDir)).toEqual([version])
    })

    it('two repositories installing into one empty cache at once: both succeed, one intact copy remains', {
      timeout: 300_000,
    }, async () => {
      await installOnce()
      const [version] = installedVersions()
      // npm's cache already holds the tarball (from the first test): no second real download.
      const cache = tempRepo({}, { git: false })
      const repos = [1, 2].map(() => tempRepo({ '.nvmrc': `${version}\n`, 'devsetup.yml': recipe }))
      const runs = await Promise.all(
        repos.map((repo) =>
          runCli(['up', '--json'], {
            cwd: repo,
            env: env(repo, { DEVSETUP_CACHE_DIR: cache }),
            timeoutMs: 280_000,
          }),
        ),
      )
      for (const [i, run] of runs.entries()) {
        expect(run.code, run.stdout).toBe(0)
        expect(readFileSync(path.join(repos[i]!, 'seen.txt'), 'utf8').trim()).toBe(`v${version}`)
      }
      const dir = path.join(cache, 'runtimes', 'node')
      expect(readdirSync(dir)).toEqual([version])
      const binary = path.join(dir, version!, 'bin', 'node')
      expect(spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(`v${version}`)
    })

    it('a half-finished download is never taken for an install; an offline registry is a clear failure', async () => {
      const cache = tempRepo({}, { git: false })
      const dir = path.join(cache, 'runtimes', 'node')
      // A crashed run's temp folder, holding a binary that would even answer --version.
      fakeBin(path.join(dir, '.partial-abc', 'package', 'bin'), 'node', `echo v${wanted}.0.0`)
      const repo = tempRepo({ '.nvmrc': `${wanted}\n`, 'devsetup.yml': recipe })
      const offline = {
        DEVSETUP_CACHE_DIR: cache,
        npm_config_registry: 'http://127.0.0.1:9/',
        npm_config_cache: path.join(cache, 'npm-cache'),
      }
      const doctor = await runCli(['doctor', '--json'], { cwd: repo, env: env(repo, offline) })
      const [runtime] = stepEnds(doctor)
      expect(runtime).toMatchObject({
        status: 'unmet',
        fix: `devsetup up (downloads node ${wanted} from the npm registry into ${dir})`,
      })

      const up = await runCli(['up', '--json'], { cwd: repo, env: env(repo, offline) })
      expect(up.code).toBe(1)
      const [failed] = stepEnds(up)
      expect(failed).toMatchObject({ status: 'failed' })
      expect(failed!.reason).toContain(`cannot list the versions of ${pkg!.name} from the npm registry`)
      expect(failed!.reason).toContain('ECONNREFUSED')
      expect(readdirSync(dir)).toEqual(['.partial-abc'])
    })
  },
)
