// The system libraries Gemfile.lock's native gems build against (pg → libpq-dev, mysql2 →
// libmariadb-dev, psych → libyaml-dev, ...): a `packages` step per platform, installed before
// `bundle install` needs them. A gem locked only as a precompiled platform gem
// (`nokogiri (1.15.4-x86_64-linux)`) builds nothing and needs nothing.
import { packageForGem } from '../../engine/diagnose/native-packages.js'
import { defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

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
    const why = `Gemfile.lock builds ${gems.join(', ')}`
    return {
      steps: [{ slot: 'packages', type: 'packages', config: { apt: [...apt], brew: [...brew] }, why }],
    }
  },
})

/** Gems in Gemfile.lock that compile against a system library: a spec without a platform suffix. */
function builtGems(repo: RepoProbe): string[] {
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
