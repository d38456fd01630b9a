// The bin/setup that `init --bin-setup` writes, run for real from a subfolder: once with devsetup
// installed in the repository from the packed tarball, once with a devsetup on PATH (a fake
// executable standing for a global install), once fetched by npx from a local registry serving
// that tarball, once on a machine without npx.
import { chmodSync, existsSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { NPX_COMMAND, PACKAGE_SPEC } from '../../src/package-name.js'
import { runCli, tempRepo } from '../helpers.js'
import { servePackedProject } from './npm-package.js'

const recipe = 'version: 1\nsteps:\n  - name: Marker file\n    run: touch marker\n    creates: marker\n'

const { served, freshNpm } = servePackedProject()

/** A repository with a package.json, a bin/setup from `init --bin-setup`, and an unmet recipe. */
async function repoWithBinSetup(): Promise<string> {
  const repo = tempRepo({
    'package.json': '{ "name": "some-app", "private": true }\n',
    'sub/with space/.keep': '',
  })
  const init = await runCli(['init', '--bin-setup'], { cwd: repo })
  expect(init.code, init.stderr).toBe(0)
  expect(init.stdout).toContain('then run `bin/setup doctor`')
  writeFileSync(path.join(repo, 'devsetup.yml'), recipe)
  writeFileSync(path.join(repo, 'other recipe.yml'), recipe)
  return repo
}

/** A folder for PATH holding only the named executables (links to the real ones). */
function pathWith(programs: Record<string, string>): string {
  const dir = tempRepo({}, { git: false })
  for (const [name, target] of Object.entries(programs)) symlinkSync(target, path.join(dir, name))
  return dir
}

/** `../../bin/setup <args>` from repo/sub/with space, as a person in a subfolder types it. */
function setup(repo: string, args: string[], env: Record<string, string>) {
  return execa('../../bin/setup', args, {
    cwd: path.join(repo, 'sub', 'with space'),
    env: { NO_COLOR: '1', CI: '', ...env },
    extendEnv: true,
    reject: false,
    timeout: 60_000,
  })
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '')

/** A `devsetup` that says where it ran and with what, and exits 7: bin/setup must pass both on. */
function fakeDevsetup(): string {
  const file = `${tempRepo({}, { git: false })}/devsetup`
  writeFileSync(
    file,
    '#!/bin/sh\necho "fake devsetup in $(pwd)"\nfor a in "$@"; do echo "[$a]"; done\nexit 7\n',
  )
  chmodSync(file, 0o755)
  return file
}

/** This machine's PATH without any folder holding a `devsetup` (the test must not find one there). */
const pathWithoutDevsetup = () =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir && !existsSync(path.join(dir, 'devsetup')))
    .join(path.delimiter)

describe('bin/setup', () => {
  it('runs the devsetup installed in node_modules (no npx needed), passing arguments and exit codes', async () => {
    const repo = await repoWithBinSetup()
    const npm = freshNpm()
    const install = await execa('npm', ['install', '--no-save', served.pkg.tarball], {
      cwd: repo,
      env: npm.env,
      reject: false,
    })
    expect(install.exitCode, install.stderr).toBe(0)
    expect(existsSync(path.join(repo, 'node_modules', '.bin', 'devsetup'))).toBe(true)
    // No npx on PATH to fall back to: node, and what the script and the recipe call; a devsetup on
    // PATH too, which the repository's own install wins over.
    const programs = {
      node: process.execPath,
      dirname: '/usr/bin/dirname',
      touch: '/usr/bin/touch',
      devsetup: fakeDevsetup(),
    }
    const env = { ...npm.env, PATH: pathWith(programs) }
    const before = served.registry.requests.length

    const version = await setup(repo, ['--version'], env)
    expect(version.exitCode, version.stderr).toBe(0)
    expect(version.stdout.trim()).toBe(served.pkg.version)
    expect(version.stderr).toBe('')

    const doctor = await setup(repo, ['doctor'], env)
    expect(doctor.exitCode).toBe(1)
    expect(doctor.stdout).toContain('Marker file')
    expect(doctor.stdout).toContain('unmet')

    const validate = await setup(repo, ['validate', '--recipe', 'other recipe.yml'], env)
    expect(validate.exitCode, validate.stderr).toBe(0)
    expect(validate.stdout).toContain('other recipe.yml is valid: 1 step')

    // No arguments: `up`, at the repository root whatever the folder it was started from.
    const up = await setup(repo, [], env)
    expect(up.exitCode, up.stderr).toBe(0)
    expect(existsSync(path.join(repo, 'marker'))).toBe(true)
    expect(existsSync(path.join(repo, 'sub', 'with space', 'marker'))).toBe(false)
    expect(served.registry.requests.length).toBe(before)
  })

  it('without a local install, runs the devsetup on PATH, from the repository root, passing arguments and exit code', async () => {
    const repo = await repoWithBinSetup()
    const npm = freshNpm()
    const before = served.registry.requests.length
    const env = { ...npm.env, PATH: pathWith({ dirname: '/usr/bin/dirname', devsetup: fakeDevsetup() }) }
    const result = await setup(repo, ['doctor', '--only', 'a b'], env)
    expect(result.exitCode).toBe(7)
    expect(lines(result.stdout)).toEqual([`fake devsetup in ${repo}`, '[doctor]', '[--only]', '[a b]'])
    expect(result.stderr).toBe('')
    expect(served.registry.requests.length).toBe(before)
  })

  it('with devsetup neither installed nor on PATH, says in one line what it fetches, then runs the pinned package through npx', async () => {
    const repo = await repoWithBinSetup()
    const npm = freshNpm()
    const env = { ...npm.env, PATH: pathWithoutDevsetup() }

    const version = await setup(repo, ['--version'], env)
    expect(version.exitCode, version.stderr).toBe(0)
    expect(version.stdout.trim()).toBe(served.pkg.version)
    expect(lines(version.stderr)).toEqual([
      `bin/setup: devsetup is neither in node_modules nor on PATH: fetching ${PACKAGE_SPEC} with npx (from the npm registry, or npx's cache)`,
    ])
    // npx resolved the pinned spec from the (local) registry and installed that tarball.
    expect(served.registry.requests).toContain(`/${served.pkg.name}`)
    expect(served.registry.requests).toContain(`/${served.pkg.name}/-/${path.basename(served.pkg.tarball)}`)
    const npxDirs = readdirSync(path.join(npm.cache, '_npx'))
    expect(
      npxDirs.some((dir) =>
        existsSync(path.join(npm.cache, '_npx', dir, 'node_modules', served.pkg.name, 'dist', 'cli.js')),
      ),
    ).toBe(true)

    const doctor = await setup(repo, ['doctor', '--json'], env)
    expect(doctor.exitCode).toBe(1)
    // stdout stays pure NDJSON: the notice goes to stderr.
    const events = lines(doctor.stdout).map((line) => JSON.parse(line) as { event: string })
    expect(events.at(-1)?.event).toBe('summary')
    expect(lines(doctor.stderr)).toHaveLength(1)

    const validate = await setup(repo, ['validate', '--recipe', 'other recipe.yml'], env)
    expect(validate.exitCode, validate.stderr).toBe(0)
    expect(validate.stdout).toContain('other recipe.yml is valid: 1 step')

    // Run from npx's cache, devsetup's hints name npx's command: the one that ran it.
    const help = await setup(repo, ['--help'], env)
    expect(help.exitCode, help.stderr).toBe(0)
    expect(help.stdout).toContain(`This devsetup runs as \`${NPX_COMMAND}\``)
  })

  it('without npx (no Node.js), says what to install and exits 127', async () => {
    const repo = await repoWithBinSetup()
    const env = { PATH: pathWith({ dirname: '/usr/bin/dirname' }) }
    const result = await setup(repo, ['doctor'], env)
    expect(result.exitCode).toBe(127)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('devsetup needs Node.js 20.5 or newer, and npx is not on PATH')
    expect(result.stderr).toContain('https://nodejs.org/')
  })
})
