// The system libraries Gemfile.lock's native gems build against (pg → libpq-dev, mysql2 →
// libmariadb-dev, psych → libyaml-dev, ...): a `packages` step per platform, installed before
// `bundle install` needs them. A gem locked only as a precompiled platform gem
// (`nokogiri (1.15.4-x86_64-linux)`) builds nothing and needs nothing.
import { packageForGem } from '../../engine/diagnose/native-packages.js'
import { defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'
import { configOrExample } from './config-examples.js'

export const nativeGems = defineProvider({
  name: 'native-gems',
  detect: ({ repo }) => builtGems(repo).length > 0,
  contribute: ({ repo }) => {
    const gems = builtGems(repo)
    const apt = new Set<string>()
    const brew = new Set<string>()
    for (const gem of gems) {
      const pkg = packageForGem(gem)!
      for (const name of pkg.apt) apt.add(name)
      for (const name of pkg.brew) brew.add(name)
    }
    const why = repo.has('Gemfile.lock')
      ? `Gemfile.lock builds ${gems.join(', ')}`
      : `Gemfile names ${gems.join(', ')} (no Gemfile.lock: Bundler builds them from source)`
    return {
      steps: [{ slot: 'packages', type: 'packages', config: { apt: [...apt], brew: [...brew] }, why }],
    }
  },
})

/** Gems in Gemfile.lock that compile against a system library: a spec without a platform suffix. */
function builtGems(repo: RepoProbe): string[] {
  if (!repo.has('Gemfile.lock')) return gemfileGems(repo)
  const specs =
    /^GEM\n[\s\S]*?^ {2}specs:\n([\s\S]*?)(?:\n\S|\n\n|(?![\s\S]))/m.exec(
      repo.read('Gemfile.lock') ?? '',
    )?.[1] ?? ''
  const source = new Set<string>()
  for (const match of specs.matchAll(/^ {4}([\w.-]+) \(([^)\s]+)\)$/gm)) {
    const [, name, version] = match as unknown as [string, string, string]
    // `1.15.4-x86_64-linux` is precompiled; `1.4.6` is built here.
    if (!/-[a-z]/.test(version) && packageForGem(name)) source.add(name)
  }
  return [...source].sort()
}

// The database adapters a Gemfile may name in turn, by the adapter database.yml chooses (Redmine
// adds the one its config/database.yml names): only the development adapter's gem is built.
const adapterGems: Record<string, string> = { postgresql: 'pg', mysql2: 'mysql2', sqlite3: 'sqlite3' }
// Resolved afresh, Bundler takes their precompiled platform gem (Linux, macOS): nothing to build.
const precompiled = new Set(['nokogiri'])

/**
 * Without a Gemfile.lock (Redmine ships none): the gems its Gemfile names that build against a
 * system library, their dependencies unknown until Bundler resolves them.
 */
function gemfileGems(repo: RepoProbe): string[] {
  const names = [...(repo.read('Gemfile') ?? '').matchAll(/^\s*gem\s+["']([\w.-]+)["']/gm)].map((m) => m[1]!)
  const yml = configOrExample(repo, 'config/database.yml')
  const config = yml ? (repo.yaml(yml) as { development?: { adapter?: unknown } } | undefined) : undefined
  const adapter = config?.development?.adapter
  const wanted = typeof adapter === 'string' ? adapterGems[adapter] : undefined
  const adapters = Object.values(adapterGems)
  return [...new Set(names)]
    .filter((name) => packageForGem(name) && !precompiled.has(name))
    .filter((name) => !adapters.includes(name) || !wanted || name === wanted)
    .sort()
}
