// init's packages step for native gems when the app ships no Gemfile.lock (Redmine): the gems its
// Gemfile names, and of the database adapters it names in turn only the one database.yml uses.
import { describe, expect, it } from 'vitest'
import { nativeGems } from '../../src/init/providers/native-gems.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

const gemfile = `source "https://rubygems.org"
gem "rails", "6.1.7"
gem "nokogiri"
gem "mini_magick"
case adapter
when "mysql2"
  gem "mysql2", "~> 0.5.0"
when "postgresql"
  gem "pg", "~> 1.2.2"
end
`

describe('init: native gems without a Gemfile.lock', () => {
  it("the Gemfile's own gems and database.yml's adapter (from its example), not every adapter nor a precompiled nokogiri", () => {
    const repo = new RepoProbe(
      tempRepo({
        Gemfile: gemfile,
        'config/database.yml.example': 'development:\n  adapter: mysql2\n  database: app_dev\n',
      }),
    )
    const step = nativeGems.contribute({ repo, example: undefined, dockerRuns: () => false }).steps?.[0]
    expect(step?.why).toBe(
      'Gemfile names mini_magick, mysql2 (no Gemfile.lock: Bundler builds them from source)',
    )
    const apt = (step?.config as { apt: string[] } | undefined)?.apt
    expect(apt).toContain('libmariadb-dev')
    expect(apt).not.toContain('libpq-dev')
  })
})
