// Bundler, beyond the table row in managers.ts: where the gems go, which Bundler runs, and
// what the check can ask without starting Ruby.
//
// Before the install one Ruby process asks Bundler itself where it will install (so
// .bundle/config, BUNDLE_PATH, BUNDLE_DEPLOYMENT are Bundler's to read, not ours) and whether
// that folder is writable: when Bundler would install into a system gem folder this user cannot
// write, the run sets BUNDLE_PATH to the user's gem folder for this install only — Gem.user_dir,
// which RubyGems searches by default, so `bundle exec` and bin/rails find the gems without any
// config written into the repository. The Bundler that Gemfile.lock was BUNDLED WITH is
// installed first (user-level) when missing, then run as `bundle _X_ install`: Bundler 2.3's own
// switch would fetch it from rubygems.org whatever the sources, and ignores --local.
//
// After the install a second Ruby process asks Bundler for the gems this Gemfile.lock resolves
// to (failing as `bundle check` would when one is missing) and records every gem folder, spec
// file and built-extension mark. The check then stats those paths: `bundle check` alone is not
// enough — Bundler 2.3 says "satisfied" over a gem whose folder was deleted, while the app
// cannot require it (and `bundle install` does reinstall it).
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { exists } from '../../engine/which.js'
import { CommandError, UserError } from '../../errors.js'
import type { RunContext } from '../define.js'
import { launchOrThrow } from './launch.js'
import type { Manager, Project } from './managers.js'
import { andMore, missingPaths } from './own-record.js'

/** The variables that change where Bundler installs or what it installs. */
const bundlerVariable = /^(BUNDLE_(?!BIN_PATH$)\w+|GEM_HOME|GEM_PATH)$/

/**
 * Inputs outside the project folder, by name → sha256: the variables above and the user-level
 * Bundler config. A change of any makes the record stale: the recorded gem folders would still
 * exist while Bundler now looks elsewhere.
 */
export async function bundlerOutsideInputs(
  env: Record<string, string>,
): Promise<Record<string, string | null>> {
  const hash = (text: string) => createHash('sha256').update(text).digest('hex')
  const inputs: Record<string, string | null> = {}
  for (const name of Object.keys(env)
    .filter((n) => bundlerVariable.test(n))
    .sort()) {
    inputs[`$${name}`] = hash(env[name]!)
  }
  const userConfig =
    env.BUNDLE_USER_CONFIG ?? (env.HOME ? path.join(env.HOME, '.bundle', 'config') : undefined)
  if (userConfig) {
    const text = await readFile(userConfig, 'utf8').catch(() => undefined)
    inputs['~/.bundle/config'] = text === undefined ? null : hash(text)
  }
  return inputs
}

/** What the install recorded beyond the generic InstallRecord (see record.ts). */
export interface BundlerRecord {
  /** Gem folders, spec files and extension marks of the installed bundle (absolute). */
  gems: string[]
  /** Where Bundler installed (Bundler.bundle_path). */
  where: string
}

/** Met check: every recorded path still there; else which gem is gone. No process. */
export async function missingGems(record: BundlerRecord): Promise<string | undefined> {
  const missing = await missingPaths('/', record.gems)
  if (missing.length === 0) return undefined
  return `gems missing from ${record.where}: ${missing[0]} is gone${andMore(missing)}`
}

/** `BUNDLED WITH` of a Gemfile.lock, or undefined. */
export function bundledWith(lockfile: string): string | undefined {
  return /^BUNDLED WITH\r?\n\s+(\d[\w.]*)/m.exec(lockfile)?.[1]
}

/** The `remote:` of each GEM section: the app's own gem sources (a mirror, a private server). */
export function gemRemotes(lockfile: string): string[] {
  return [...lockfile.matchAll(/^GEM\r?\n\s+remote: (\S+)/gm)].map((m) => m[1]!)
}

interface Probe {
  system: boolean
  dir: string
  writable: boolean
  userDir: string
  scope: string
  bundlers: string[]
  /** The Bundler `require "bundler"` activates: the one plain `bundle` runs. */
  active: string
}

// Bundler versions are listed before `require "bundler"`, which activates one of them.
const probeScript = `require "json"
bundlers = Gem::Specification.find_all_by_name("bundler").map { |s| s.version.to_s }
require "bundler"
def writable(d) d = File.dirname(d) until File.exist?(d); File.writable?(d) end
dir = Bundler.bundle_path.to_s
print JSON.generate("system" => Bundler.configured_bundle_path.use_system_gems?, "dir" => dir,
  "writable" => writable(dir) && writable(Bundler.system_bindir), "userDir" => Gem.user_dir,
  "scope" => Bundler.ruby_scope, "bundlers" => bundlers, "active" => Bundler::VERSION)`

// The gems Bundler.setup would load (groups from BUNDLE_WITHOUT / BUNDLE_WITH honoured); it
// raises Bundler::GemNotFound like `bundle check` when one is not installed.
const installedScript = `require "json"
require "bundler"
paths = Bundler.definition.requested_specs.flat_map do |s|
  built = File.join(s.extension_dir, "gem.build_complete") if s.respond_to?(:extensions) && !s.extensions.empty?
  [s.full_gem_path, s.loaded_from, built]
end
print JSON.generate("where" => Bundler.bundle_path.to_s, "bundler" => Bundler::VERSION,
  "gems" => paths.compact.uniq.select { |p| File.exist?(p) })`

async function ruby<T>(script: string, project: Project, ctx: RunContext, env: Record<string, string>) {
  const result = await ctx.exec(['ruby', '-e', script], { cwd: project.dir, env, reject: false })
  const lines = result.all.trim().split(/\r?\n/)
  // Bundler may say "Resolving dependencies..." first: the answer is the last line.
  const answer = result.exitCode === 0 ? parseJson<T>(result.stdout.trim().split(/\r?\n/).at(-1)) : undefined
  if (answer) return answer
  throw new CommandError(
    'ruby -e <ask Bundler where the gems are>',
    result.exitCode,
    lines.slice(-20),
    `Bundler could not say where the gems are: ${lines.at(-1) ?? `ruby exited with code ${result.exitCode}`}`,
    result.all,
  )
}

function parseJson<T>(text: string | undefined): T | undefined {
  try {
    return text ? (JSON.parse(text) as T) : undefined
  } catch {
    return undefined
  }
}

/** Installs with Bundler; returns the summary line and what the check needs next time. */
export async function installBundle(
  m: Manager,
  project: Project,
  ctx: RunContext,
  runInstall: (argv: string[], env: Record<string, string>) => Promise<string>,
): Promise<{ summary: string; record: BundlerRecord }> {
  // No Bundler, no Ruby to ask: say how to get it before anything runs.
  await launchOrThrow(['bundle'], m, project.dir, ctx.env)
  const lockText = project.lockfile ? await readFile(path.join(project.dir, project.lockfile), 'utf8') : ''
  const probe = await ruby<Probe>(probeScript, project, ctx, {})
  const env: Record<string, string> = {}
  let why = ''
  if (probe.system && !probe.writable) {
    // Gem.user_dir is <base>/<ruby scope>; BUNDLE_PATH=<base> makes Bundler install there.
    const base = probe.userDir.endsWith(`/${probe.scope}`)
      ? probe.userDir.slice(0, -probe.scope.length - 1)
      : probe.userDir
    env.BUNDLE_PATH = base
    why = ` (${probe.dir} is not writable for this user: BUNDLE_PATH=${base} for this install)`
  }
  const locked = bundledWith(lockText)
  let bundle = ['bundle', 'install']
  if (locked) {
    const have =
      probe.bundlers.includes(locked) || (await installBundler(locked, lockText, project, ctx, probe))
    if (have) bundle = ['bundle', `_${locked}_`, 'install']
    else {
      // BUNDLER_VERSION keeps Bundler from switching to the locked version itself (its own
      // attempt ends in a RubyGems error on some versions): the one it has does the install.
      env.BUNDLER_VERSION = probe.active
      why += `; Bundler ${locked} (BUNDLED WITH) needs a newer Ruby: installed with Bundler ${probe.active}, which this Ruby has, as Bundler itself would`
    }
  }
  const summary = await runInstall(bundle, env)
  const installed = await ruby<BundlerRecord & { bundler: string }>(installedScript, project, ctx, env)
  return {
    summary: `${summary}; gems in ${installed.where}${why}`,
    record: { gems: installed.gems, where: installed.where },
  }
}

/**
 * `gem install bundler -v X`, user-level: from vendor/cache when the app keeps it there. False
 * when that Bundler needs a newer Ruby than this one: Bundler itself then goes on with the one
 * it has ("Going on using 2.6.9"), and so does devsetup, saying so; a lockfile is not a reason
 * to refuse what the app's own tool accepts.
 */
async function installBundler(
  version: string,
  lockText: string,
  project: Project,
  ctx: RunContext,
  probe: Probe,
): Promise<boolean> {
  const cached = path.join(project.dir, 'vendor', 'cache', `bundler-${version}.gem`)
  const sources = gemRemotes(lockText)
    // rubygems.org stays the gem command's own source: a mirror set in ~/.gemrc keeps applying.
    .filter((remote) => !/^https?:\/\/rubygems\.org\/?$/.test(remote))
    .flatMap((remote) => ['--source', remote])
  const argv = (await exists(cached))
    ? ['gem', 'install', '--local', cached]
    : ['gem', 'install', 'bundler', '-v', version, ...sources]
  ctx.output(`Gemfile.lock is BUNDLED WITH ${version}, not installed here: installing it`)
  const result = await ctx.exec([...argv, '--user-install', '--no-document'], {
    cwd: project.dir,
    reject: false,
  })
  if (result.exitCode === 0) return true
  const needs =
    /bundler-\S+ requires Ruby version ([^.\n]+(?:\.\d+)*)\. The current ruby version is ([\d.]+)/.exec(
      result.all,
    )
  if (needs && probe.bundlers.length > 0) {
    ctx.output(
      `Bundler ${version} requires Ruby ${needs[1]} (this is ${needs[2]}): going on with Bundler ${probe.active}`,
    )
    return false
  }
  const have = probe.bundlers.join(', ') || 'none'
  if (/Could not find a valid gem 'bundler'/.test(result.all)) {
    throw new UserError(
      `Gemfile.lock is BUNDLED WITH Bundler ${version}, which no gem source here has (this machine has Bundler ${have})`,
      `run \`bundle update --bundler\` to lock a Bundler this machine has, and commit Gemfile.lock; or make Bundler ${version} reachable (\`gem install bundler -v ${version}\`)`,
    )
  }
  const lines = result.all.trim().split(/\r?\n/)
  throw new CommandError(
    result.command,
    result.exitCode,
    lines.slice(-20),
    `could not install Bundler ${version} (Gemfile.lock's BUNDLED WITH): ${lines.find((l) => /ERROR/.test(l)) ?? lines.at(-1)}`,
    result.all,
  )
}
