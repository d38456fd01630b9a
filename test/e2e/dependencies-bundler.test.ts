// The `dependencies` step with the real Bundler (Ruby 3.1, Bundler 2.3 here): gems these tests
// build themselves, from a local gem source (gem generate_index, `file://`), never rubygems.org.
// Gems go to a GEM_HOME (and HOME) under temp folders, never the machine's own gem folders.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { events, fakeBin, nobody, runCli, tempRepo, writeFiles } from '../helpers.js'
import { absentHeader, bundlerGem, gemSource } from './bundler/gems.js'

const recipe = 'version: 1\nsteps:\n  - dependencies\n'
const scope = 'ruby/3.1.0'
let source: string
let otherBundler: string

beforeAll(() => {
  source = gemSource()
  otherBundler = bundlerGem('2.3.99', tempRepo({}, { git: false }))
}, 60_000)

interface Step {
  status: string
  reason: string
  failure?: { diagnosis?: { id: string; cause: string; fix: string }[]; hint?: string }
}
const stepEnd = (stdout: string) => events(stdout).find((e) => e.event === 'step:end') as unknown as Step

/** A Rails-like repository: a Gemfile on the local source; bundle, gem and ruby log their calls. */
function bundlerRepo(gems: string[], options: { asNobody?: boolean; files?: Record<string, string> } = {}) {
  const gemfile = `source 'file://${source}/'\n${gems.map((g) => `gem '${g}'\n`).join('')}`
  const dir = tempRepo({ 'devsetup.yml': recipe, Gemfile: gemfile, ...options.files })
  const home = tempRepo({}, { git: false })
  const gemHome = tempRepo({}, { git: false })
  const bin = path.join(dir, '.fakebin')
  const log = path.join(dir, 'calls.log')
  for (const name of ['bundle', 'gem', 'ruby']) {
    const real = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()
    fakeBin(bin, name, `echo "${name} $1 $2" >> '${log}'\nexec '${real}' "$@"`)
  }
  if (options.asNobody) for (const d of [dir, home]) spawnSync('chown', ['-R', `${nobody}:${nobody}`, d])
  const env: Record<string, string> = {
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    HOME: home,
    GEMRC: path.join(source, 'gemrc'),
    // As root the system gem folder is writable: GEM_HOME keeps these tests out of the real one.
    ...(options.asNobody ? {} : { GEM_HOME: gemHome }),
  }
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [])
  const cli = (command: string) =>
    runCli([command, '--json'], { cwd: dir, env, asNobody: options.asNobody, timeoutMs: 90_000 })
  return { dir, home, gemHome, env, calls, cli }
}

describe('dependencies with the real Bundler', () => {
  it('installs, then a re-run starts no Ruby; a removed gem folder or a changed Gemfile.lock turn doctor red', async () => {
    const { dir, gemHome, env, calls, cli } = bundlerRepo(['tinygem'])
    const first = await cli('up')
    expect(stepEnd(first.stdout), first.stdout + first.stderr).toMatchObject({ status: 'changed' })
    expect(stepEnd(first.stdout).reason).toMatch(
      /^bundle _2\.3\.\d+_ install: Bundle complete!|^bundle install: Bundle complete!/,
    )
    expect(stepEnd(first.stdout).reason).toContain(`gems in ${gemHome}`)
    const gemFolder = path.join(gemHome, 'gems', 'tinygem-1.0.0')
    expect(existsSync(gemFolder)).toBe(true)

    const before = calls().length
    const again = await cli('up')
    expect(stepEnd(again.stdout)).toMatchObject({
      status: 'ok',
      reason: `Gemfile.lock unchanged since last install, gems in ${gemHome} intact`,
    })
    expect(calls().slice(before)).toEqual([])

    // Bundler itself says all is well over a deleted gem folder; the app could not require it.
    rmSync(gemFolder, { recursive: true })
    const check = spawnSync('bundle', ['check'], {
      cwd: dir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    })
    expect(check.stdout).toContain("The Gemfile's dependencies are satisfied")
    const red = await cli('doctor')
    expect(red.code).not.toBe(0)
    expect(stepEnd(red.stdout).reason).toBe(`gems missing from ${gemHome}: ${gemFolder} is gone`)
    const repaired = await cli('up')
    expect(stepEnd(repaired.stdout)).toMatchObject({ status: 'changed' })
    expect(existsSync(path.join(gemFolder, 'lib', 'tinygem.rb'))).toBe(true)
    expect((await cli('doctor')).code).toBe(0)

    // A pull that adds a gem: Gemfile and Gemfile.lock change.
    writeFileSync(
      path.join(dir, 'Gemfile'),
      `${readFileSync(path.join(dir, 'Gemfile'), 'utf8')}gem 'othergem'\n`,
    )
    const lock = readFileSync(path.join(dir, 'Gemfile.lock'), 'utf8')
      .replace('  specs:\n', '  specs:\n    othergem (1.0.0)\n')
      .replace('DEPENDENCIES\n', 'DEPENDENCIES\n  othergem\n')
    writeFileSync(path.join(dir, 'Gemfile.lock'), lock)
    const changed = await cli('doctor')
    expect(stepEnd(changed.stdout).reason).toBe('Gemfile, Gemfile.lock changed since last install')
    expect((await cli('up')).code).toBe(0)
    expect(existsSync(path.join(gemHome, 'gems', 'othergem-1.0.0'))).toBe(true)

    // Another BUNDLE_PATH: the recorded folders still exist, but Bundler now looks elsewhere.
    const moved = await runCli(['doctor', '--json'], {
      cwd: dir,
      env: { ...env, BUNDLE_PATH: path.join(dir, 'vendor/bundle') },
    })
    expect(stepEnd(moved.stdout).reason).toBe('$BUNDLE_PATH changed since last install')
  }, 180_000)

  it('as a user who cannot write the system gem folder: installs into the user gem folder and says so', async () => {
    const { dir, home, cli } = bundlerRepo(['tinygem'], { asNobody: true })
    const up = await cli('up')
    expect(stepEnd(up.stdout), up.stdout + up.stderr).toMatchObject({ status: 'changed' })
    const userGems = path.join(home, '.local/share/gem', scope)
    expect(stepEnd(up.stdout).reason).toMatch(
      new RegExp(
        `gems in ${userGems} \\(/var/lib/gems/3\\.1\\.0 is not writable for this user: BUNDLE_PATH=${home}/\\.local/share/gem for this install\\)$`,
      ),
    )
    expect(existsSync(path.join(userGems, 'gems', 'tinygem-1.0.0'))).toBe(true)
    // Nothing written into the repository's Bundler config.
    expect(existsSync(path.join(dir, '.bundle'))).toBe(false)
    const doctor = await cli('doctor')
    expect(doctor.code, doctor.stdout).toBe(0)
  }, 120_000)

  it('a Bundler from BUNDLED WITH that the machine lacks is installed first, user-level, from vendor/cache', async () => {
    const lockfile = await lockedWith('2.3.99')
    const { dir, home, calls, cli } = bundlerRepo(['tinygem'], { files: { 'Gemfile.lock': lockfile } })
    writeFiles(dir, { 'vendor/cache/.keep': '' })
    copyFileSync(otherBundler, path.join(dir, 'vendor/cache/bundler-2.3.99.gem'))
    const up = await cli('up')
    expect(stepEnd(up.stdout), up.stdout + up.stderr).toMatchObject({ status: 'changed' })
    expect(stepEnd(up.stdout).reason).toMatch(/^bundle _2\.3\.99_ install: Bundle complete!/)
    expect(calls()).toEqual(expect.arrayContaining(['gem install --local', 'bundle _2.3.99_ install']))
    expect(existsSync(path.join(home, '.local/share/gem', scope, 'gems', 'bundler-2.3.99'))).toBe(true)
    expect((await cli('doctor')).code).toBe(0)
    // Removing that Bundler breaks the bundle: its folder is one of the recorded paths.
    rmSync(path.join(home, '.local/share/gem', scope, 'gems', 'bundler-2.3.99'), { recursive: true })
    expect(stepEnd((await cli('doctor')).stdout).reason).toMatch(/bundler-2\.3\.99 is gone/)
  }, 180_000)

  it('a BUNDLED WITH Bundler that needs a newer Ruby: goes on with the Bundler this Ruby has, as Bundler itself does, and says so', async () => {
    const lockfile = await lockedWith('2.3.97')
    const { dir, cli } = bundlerRepo(['tinygem'], { files: { 'Gemfile.lock': lockfile } })
    writeFiles(dir, { 'vendor/cache/.keep': '' })
    bundlerGem('2.3.97', path.join(dir, 'vendor/cache'), "\n  s.required_ruby_version = '>= 9.0'")
    const up = await cli('up')
    const end = stepEnd(up.stdout)
    expect(end, up.stdout + up.stderr).toMatchObject({ status: 'changed' })
    expect(end.reason).toMatch(/^bundle install: Bundle complete!/)
    expect(end.reason).toContain('Bundler 2.3.97 (BUNDLED WITH) needs a newer Ruby')
    expect((await cli('doctor')).code).toBe(0)
  }, 180_000)

  it('a BUNDLED WITH version no gem source has: a clear error with the fix', async () => {
    const lockfile = await lockedWith('2.3.98')
    const { cli } = bundlerRepo(['tinygem'], { files: { 'Gemfile.lock': lockfile } })
    const up = await cli('up')
    expect(up.code).not.toBe(0)
    const end = stepEnd(up.stdout)
    expect(end.reason).toMatch(
      /^Gemfile\.lock is BUNDLED WITH Bundler 2\.3\.98, which no gem source here has \(this machine has Bundler [\d., ]+\)/,
    )
    expect(up.stdout + up.stderr).toContain('`bundle update --bundler`')
  }, 120_000)

  it('a native gem whose build misses a header: the failure names the package', async () => {
    const { cli } = bundlerRepo(['vipsgem'])
    const up = await cli('up')
    expect(up.code).not.toBe(0)
    const end = stepEnd(up.stdout)
    expect(end.status).toBe('failed')
    expect(end.failure?.diagnosis?.[0]).toMatchObject({ id: 'missing-header' })
    expect(end.failure?.diagnosis?.[0]?.cause).toContain(absentHeader)
    expect(end.failure?.diagnosis?.[0]?.fix).toContain('libvips-dev')
    // The failed install vouches for nothing.
    expect((await cli('doctor')).code).not.toBe(0)
  }, 120_000)
})

/** A Gemfile.lock for tinygem on the local source, BUNDLED WITH `version`. */
async function lockedWith(version: string): Promise<string> {
  const { dir, cli } = bundlerRepo(['tinygem'])
  expect((await cli('up')).code).toBe(0)
  return readFileSync(path.join(dir, 'Gemfile.lock'), 'utf8').replace(
    /^(BUNDLED WITH\n\s+)\S+/m,
    `$1${version}`,
  )
}
