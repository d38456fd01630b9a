// The runtime step for Ruby end to end: the built CLI with fake version managers on PATH (the real
// ones download and build Ruby from the internet). Each fake records its arguments in
// $HOME/calls.log and "installs" a ruby script printing `ruby <version>p170 …` into its own folder,
// where the real manager would put it; the next step of the run must find that ruby on PATH.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, fakeBin, runCli, tempRepo, writeFiles } from '../helpers.js'

/** Writes a ruby into "$1"/bin that reports version "$2" and logs each call to $HOME/ruby-calls.log. */
const installRuby = `install_ruby() {
  mkdir -p "$1/bin"
  printf '#!/bin/sh\\necho "$*" >> "$HOME/ruby-calls.log"\\necho "ruby %sp170 (2024-04-23 revision af471c0e01) [x86_64-linux]"\\n' "$2" > "$1/bin/ruby"
  chmod +x "$1/bin/ruby"
}`

/** The releases the fakes can "install" (what `rbenv install --list-all` and `frum install --list` print). */
const releases = 'printf "3.1.6\\n3.2.3\\n3.2.4\\n3.3.1\\njruby-9.4.5.0\\n"'
/** A line ("3.2") resolved to its newest release, as mise, asdf and ruby-install do. */
const newest = `newest() { case "$1" in *.*.*) echo "$1" ;; *) ${releases} | grep "^$1\\." | tail -1 ;; esac; }`

const fakes: Record<string, string> = {
  rbenv: `root="\${RBENV_ROOT:-$HOME/.rbenv}"
case "$1 $2" in
  "versions --bare") ls "$root/versions" 2>/dev/null ;;
  "install --list-all") ${releases} ;;
  "install -s") install_ruby "$root/versions/$3" "$3" ;;
  prefix*) [ -d "$root/versions/$2" ] || exit 1; echo "$root/versions/$2" ;;
  *) exit 2 ;;
esac`,
  mise: `${newest}
v=$(newest "\${2#ruby@}"); dir="$HOME/.local/share/mise/installs/ruby/$v"
case "$1" in
  install) install_ruby "$dir" "$v" ;;
  where) [ -d "$dir" ] || exit 1; echo "$dir" ;;
  *) exit 2 ;;
esac`,
  asdf: `${newest}
case "$1 $2" in
  "plugin list") [ -f "$HOME/asdf-plugin" ] && echo ruby ;;
  "plugin add") touch "$HOME/asdf-plugin" ;;
  "latest ruby") newest "$3" ;;
  "install ruby") [ -f "$HOME/asdf-plugin" ] || exit 1; install_ruby "$HOME/.asdf/installs/ruby/$3" "$3" ;;
  "where ruby") echo "$HOME/.asdf/installs/ruby/$3" ;;
  *) exit 2 ;;
esac`,
  'ruby-install': `${newest}
[ "$1 $2" = "--no-reinstall ruby" ] || exit 2
v=$(newest "$3"); install_ruby "$HOME/.rubies/ruby-$v" "$v"`,
  frum: `dir="\${FRUM_DIR:-$HOME/.frum}"
case "$1 $2" in
  "install --list") ${releases} ;;
  install*) case "$2" in *.*.*) install_ruby "$dir/versions/$2" "$2" ;; *) echo "frum: unknown version $2" >&2; exit 1 ;; esac ;;
  *) exit 2 ;;
esac`,
}

/** An isolated machine: its own HOME, a PATH of the fakes, an old ruby 3.0.6 and the system's tools. */
function machine(repo: string, managers: string[], systemRuby = '3.0.6') {
  const home = path.join(repo, '.home')
  const bin = path.join(home, 'bin')
  for (const name of managers)
    fakeBin(bin, name, `${installRuby}\necho "${name} $*" >> "$HOME/calls.log"\n${fakes[name]}`)
  spawnSync(
    'sh',
    ['-c', `${installRuby}\ninstall_ruby "$1" "$2"`, 'sh', path.join(home, 'system'), systemRuby],
    {
      env: { HOME: home, PATH: '/usr/bin:/bin' },
    },
  )
  const env = {
    HOME: home,
    PATH: [bin, path.join(home, 'system', 'bin'), '/usr/bin', '/bin'].join(':'),
    RBENV_ROOT: undefined,
    FRUM_DIR: undefined,
    ASDF_DIR: undefined,
    GEM_HOME: undefined,
    DEVSETUP_CACHE_DIR: undefined,
  }
  const log = (file: string) => {
    const where = path.join(home, file)
    return existsSync(where) ? readFileSync(where, 'utf8').trim().split('\n') : []
  }
  return { home, env, calls: () => log('calls.log'), rubyCalls: () => log('ruby-calls.log') }
}

const recipe = (wanted: string) =>
  'version: 1\nsteps:\n  - runtime: ruby\n' +
  `  - name: sees new ruby\n    run: exit 1\n    check: ruby -v | grep -q "ruby ${wanted}p170"\n` +
  '  - name: record ruby\n    run: ruby -v > seen.txt\n    creates: seen.txt\n'

const stepEnds = (stdout: string) => events(stdout).filter((e) => e.event === 'step:end')

describe('runtime ruby: a version manager installs it, the next steps use it', () => {
  it.each([
    // manager, the repository's pin, what the manager is asked, the version installed
    [
      'rbenv',
      { '.ruby-version': 'ruby-3.2.4\n' },
      'rbenv install -s 3.2.4',
      '3.2.4',
      '.ruby-version wants 3.2.4',
    ],
    [
      'mise',
      { '.tool-versions': 'nodejs 20.1.0\nruby 3.2.4\n' },
      'mise install ruby@3.2.4',
      '3.2.4',
      '.tool-versions wants 3.2.4',
    ],
    [
      'asdf',
      { 'mise.toml': '[tools]\nruby = "3.2"\n' },
      'asdf install ruby 3.2.4',
      '3.2.4',
      'mise.toml wants 3.2',
    ],
    [
      'ruby-install',
      { Gemfile: 'source "https://rubygems.org"\nruby "~> 3.2.1"\n' },
      'ruby-install --no-reinstall ruby 3.2',
      '3.2.4',
      'Gemfile wants ~> 3.2.1',
    ],
    [
      'frum',
      { Gemfile: 'ruby file: "config/ruby.txt"\n', 'config/ruby.txt': 'ruby-3.2\n' },
      'frum install 3.2.4',
      '3.2.4',
      'config/ruby.txt wants 3.2',
    ],
    // rbenv's install wants an exact release: a Gemfile range is resolved against its list.
    [
      'rbenv',
      { Gemfile: "ruby '~> 3.2', '< 3.3'\n" },
      'rbenv install -s 3.2.4',
      '3.2.4',
      'Gemfile wants ~> 3.2, < 3.3',
    ],
  ])('%s, pinned by %j: `%s`', async (manager, pin, call, version, wants) => {
    const repo = tempRepo({ ...pin, 'devsetup.yml': recipe(version) })
    const m = machine(repo, [manager])
    const doctor = await runCli(['doctor', '--json'], { cwd: repo, env: m.env })
    expect(stepEnds(doctor.stdout)[0]).toMatchObject({
      status: 'unmet',
      reason: `ruby 3.0.6 found, ${wants}`,
    })
    expect(m.calls()).toEqual([]) // doctor asks no manager anything

    const up = await runCli(['up'], { cwd: repo, env: m.env })
    expect(up.stdout).toContain(`ruby ${version} via ${manager} (${wants}); later steps use it`)
    expect(up.stdout).toContain('✔ sees new ruby — ok: check passed')
    expect(up.code).toBe(0)
    expect(m.calls()).toContain(call)
    expect(readFileSync(path.join(repo, 'seen.txt'), 'utf8')).toContain(`ruby ${version}p170`)
  })

  it('a re-run finds the ruby it installed (no second install); another pin installs again', async () => {
    const repo = tempRepo({ '.ruby-version': '3.2.4\n', 'devsetup.yml': recipe('3.2.4') })
    const m = machine(repo, ['rbenv'])
    expect((await runCli(['up'], { cwd: repo, env: m.env })).code).toBe(0)
    const second = await runCli(['up'], { cwd: repo, env: m.env })
    expect(second.code).toBe(0)
    expect(second.stdout).toContain(
      'ok: ruby 3.2.4 (installed by devsetup; your shell still has 3.0.6: restart your shell',
    )
    expect(m.calls().filter((c) => c.startsWith('rbenv install'))).toEqual(['rbenv install -s 3.2.4'])

    writeFiles(repo, { '.ruby-version': 'ruby-3.1.6\n' })
    const third = await runCli(['up'], { cwd: repo, env: m.env })
    expect(third.stdout).toContain('changed: ruby 3.1.6 via rbenv (.ruby-version wants 3.1.6)')
  })

  it('a ruby the manager already holds is used without installing', async () => {
    const repo = tempRepo({ '.ruby-version': '3.2\n', 'devsetup.yml': recipe('3.2.3') })
    const m = machine(repo, ['ruby-install'])
    spawnSync('sh', ['-c', `${installRuby}\ninstall_ruby "$HOME/.rubies/ruby-3.2.3" 3.2.3`], { env: m.env })
    const up = await runCli(['up'], { cwd: repo, env: m.env })
    expect(up.stdout).toContain('ruby 3.2.3 via ruby-install (.ruby-version wants 3.2)')
    expect(up.code).toBe(0)
    expect(m.calls().filter((c) => c.startsWith('ruby-install'))).toEqual([])
  })
})

describe('runtime ruby: without a manager, and when the ruby on PATH already satisfies', () => {
  it('no manager: doctor and up name the manager to install and the exact command', async () => {
    const repo = tempRepo({ '.ruby-version': '3.2.4\n', 'devsetup.yml': recipe('3.2.4') })
    const m = machine(repo, [])
    const doctor = await runCli(['doctor', '--json'], { cwd: repo, env: m.env })
    const fix =
      'install mise (curl https://mise.run | sh), then in this repository: mise use ruby@3.2.4; ' +
      "or rbenv: sudo apt-get install rbenv ruby-build (Debian's ruby-build knows older releases only), then: rbenv install -s 3.2.4"
    expect(stepEnds(doctor.stdout)[0]).toMatchObject({ status: 'unmet', fix })
    const up = await runCli(['up', '--json'], { cwd: repo, env: m.env })
    expect(up.code).toBe(1)
    expect(stepEnds(up.stdout)[0]!.reason).toContain(
      'no version manager found for ruby (looked for mise, asdf, rbenv, ruby-install, frum)',
    )
    expect(stepEnds(up.stdout)[0]!.reason).toContain(fix)
  })

  it('with a manager, doctor’s fix is its command', async () => {
    const repo = tempRepo({ '.ruby-version': '3.2.4\n', 'devsetup.yml': recipe('3.2.4') })
    const m = machine(repo, ['frum'])
    const doctor = await runCli(['doctor', '--json'], { cwd: repo, env: m.env })
    expect(stepEnds(doctor.stdout)[0]).toMatchObject({ status: 'unmet', fix: 'frum install 3.2.4' })
  })

  it('satisfied already: ok, no manager called, one `ruby -v` per run, also on a cached no-op', async () => {
    const repo = tempRepo({
      Gemfile: 'ruby "~> 3.2"\n',
      'devsetup.yml': 'version: 1\nsteps:\n  - runtime: ruby\n',
    })
    const m = machine(repo, ['rbenv', 'mise'], '3.3.1')
    for (const run of [1, 2, 3]) {
      const up = await runCli(['up'], { cwd: repo, env: m.env })
      expect(up.stdout).toContain('ok: ruby 3.3.1 (Gemfile wants ~> 3.2)')
      expect(m.rubyCalls()).toEqual(Array(run).fill('-v'))
    }
    expect(m.calls()).toEqual([])
  })

  it('the machine’s own ruby (Debian’s 3.1) satisfies `~> 3.1` from the Gemfile as it is', async () => {
    const system = spawnSync('ruby', ['-v'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } }).stdout
    const [, major, minor, patch] = /ruby (\d+)\.(\d+)\.(\d+)/.exec(system)!
    const repo = tempRepo({
      Gemfile: `source "https://rubygems.org"\nruby "~> ${major}.${minor}"\n`,
      'devsetup.yml': 'version: 1\nsteps:\n  - runtime: ruby\n',
    })
    const doctor = await runCli(['doctor'], { cwd: repo, env: { PATH: '/usr/bin:/bin' } })
    expect(doctor.stdout).toContain(
      `ok: ruby ${major}.${minor}.${patch} (Gemfile wants ~> ${major}.${minor})`,
    )
    expect(doctor.code).toBe(0)
  })
})
