// Gems the Bundler tests build themselves, offline: tiny gemspecs written here, `gem build`,
// and a local gem source (`gem generate_index`) that Gemfiles name as `file://…`. A Bundler of
// a version this machine lacks is this machine's own Bundler rebuilt under another version.
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { tempRepo, writeFiles } from '../../helpers.js'

function run(argv: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(argv[0]!, argv.slice(1), {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  })
  expect(result.status, `${argv.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0)
  return result.stdout
}

const gemspec = (name: string, version: string, extra = '') => `Gem::Specification.new do |s|
  s.name = '${name}'; s.version = '${version}'; s.summary = '${name}'; s.authors = ['devsetup tests']
  s.files = Dir['lib/**/*', 'ext/**/*', 'exe/*']${extra}
end
`

/** `gem build` of a gem with `files` (and `extra` gemspec lines); returns the .gem path in `out`. */
function buildGem(name: string, version: string, files: Record<string, string>, out: string, extra = '') {
  const src = tempRepo({ ...files, [`${name}.gemspec`]: gemspec(name, version, extra) }, { git: false })
  run(['gem', 'build', `${name}.gemspec`], src)
  copyFileSync(path.join(src, `${name}-${version}.gem`), path.join(out, `${name}-${version}.gem`))
  return path.join(out, `${name}-${version}.gem`)
}

/** This machine's Bundler, rebuilt as `version`: a Bundler the machine does not have. */
export function bundlerGem(version: string, out: string, extraSpec = ''): string {
  const installed = run(['ruby', '-e', 'print Gem::Specification.find_by_name("bundler").full_gem_path'], out)
  const src = tempRepo({}, { git: false })
  cpSync(path.join(installed, 'lib'), path.join(src, 'lib'), { recursive: true })
  cpSync(path.join(installed, 'exe'), path.join(src, 'exe'), { recursive: true })
  const versionFile = path.join(src, 'lib', 'bundler', 'version.rb')
  chmodSync(versionFile, 0o644)
  writeFileSync(
    versionFile,
    readFileSync(versionFile, 'utf8').replace(/VERSION = "[^"]+"/, `VERSION = "${version}"`),
  )
  writeFileSync(
    path.join(src, 'bundler.gemspec'),
    gemspec('bundler', version, `\n  s.bindir = 'exe'; s.executables = ['bundle', 'bundler']${extraSpec}`),
  )
  run(['gem', 'build', 'bundler.gemspec'], src)
  copyFileSync(path.join(src, `bundler-${version}.gem`), path.join(out, `bundler-${version}.gem`))
  return path.join(out, `bundler-${version}.gem`)
}

/** A header the Debian machines here lack, that the diagnosis table maps (libvips-dev). */
export const absentHeader = 'vips/vips.h'

/**
 * A local gem source with tinygem 1.0.0, othergem 1.0.0 and vipsgem 1.0.0 (a C extension whose
 * extconf.rb stops when vips/vips.h is absent, as ruby-vips' own build does).
 */
export function gemSource(): string {
  const source = tempRepo({}, { git: false })
  // Readable by `nobody` too (mkdtemp makes it 0700).
  chmodSync(source, 0o755)
  const gems = path.join(source, 'gems')
  mkdirSync(gems)
  for (const name of ['tinygem', 'othergem'])
    buildGem(
      name,
      '1.0.0',
      { [`lib/${name}.rb`]: `module ${name[0]!.toUpperCase()}${name.slice(1)}; end\n` },
      gems,
    )
  buildGem(
    'vipsgem',
    '1.0.0',
    {
      'lib/vipsgem.rb': 'module Vipsgem; end\n',
      'ext/vipsgem/extconf.rb': `require 'mkmf'\nabort 'vips/vips.h is missing' unless have_header('${absentHeader}')\ncreate_makefile('vipsgem/vipsgem')\n`,
    },
    gems,
    "\n  s.extensions = ['ext/vipsgem/extconf.rb']",
  )
  run(['gem', 'generate_index', '-d', source], source)
  // Everything a test's gem commands need, so they never reach for rubygems.org.
  writeFiles(source, { gemrc: `---\n:sources:\n- file://${source}/\n` })
  return source
}
