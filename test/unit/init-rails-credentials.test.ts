// When a Rails app's development needs the key of its encrypted credentials, and when it does not.
import { describe, expect, it } from 'vitest'
import { railsCredentials } from '../../src/init/providers/rails-credentials.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

const app = (files: Record<string, string>) => {
  const repo = new RepoProbe(
    tempRepo(
      { 'config/application.rb': 'module App; end\n', 'config/credentials.yml.enc': 'x--y--z\n', ...files },
      { git: false },
    ),
  )
  const ctx = { repo, example: undefined, dockerRuns: () => false }
  return railsCredentials.detect(ctx) ? railsCredentials.contribute(ctx) : undefined
}

describe('init: Rails credentials', () => {
  it('an app that boots without the key (credentials read with dig, require_master_key only in production) gets a note, no step', () => {
    const found = app({
      'config/environments/production.rb':
        'Rails.application.configure do\n  config.require_master_key = true\nend\n',
      'config/environments/development.rb':
        'Rails.application.configure do\n  # config.require_master_key = true\nend\n',
      'config/initializers/mail.rb': 'KEY = Rails.application.credentials.dig(:smtp, :password)\n',
    })
    expect(found?.steps).toBeUndefined()
    expect(found?.notes?.join('\n')).toMatch(/boots without config\/master\.key/)
  })

  it.each([
    [
      'config/environments/development.rb',
      'Rails.application.configure do\n  config.require_master_key = true\nend\n',
      /development\.rb:2 \(config\.require_master_key = true\)/,
    ],
    [
      'config/initializers/stripe.rb',
      'Stripe.api_key = Rails.application.credentials.stripe[:secret].fetch(:key)\n',
      /stripe\.rb:1 \(credentials\.stripe\[:secret\]\.fetch\(\)/,
    ],
    [
      'config/storage.yml',
      'amazon:\n  access_key_id: <%= Rails.application.credentials.aws.access_key_id! %>\n',
      /storage\.yml:2/,
    ],
  ])('%s makes the key a step, unmet until it is there', (file, text, where) => {
    const step = app({ [file]: text })?.steps?.[0]
    expect(step?.flat?.check).toBe('test -f config/master.key || test -n "$RAILS_MASTER_KEY"')
    expect(String(step?.flat?.run)).toMatch(where)
    expect(String(step?.flat?.run)).toMatch(/Ask your team .* save it as config\/master\.key/)
  })

  it("development's own credentials need development.key; a committed key needs nothing; `!=` is no read", () => {
    const own = app({
      'config/credentials/development.yml.enc': 'a--b--c\n',
      'config/initializers/a.rb': 'A = Rails.application.credentials.api_key!\n',
    })
    expect(String(own?.steps?.[0]?.flat?.check)).toMatch(/^test -f config\/credentials\/development\.key/)
    expect(
      app({ 'config/master.key': 'k', 'config/initializers/a.rb': 'A = Rails.application.credentials.a!\n' }),
    ).toEqual({})
    expect(
      app({ 'config/initializers/a.rb': 'ok = Rails.application.credentials.a != nil\n' })?.steps,
    ).toBeUndefined()
  })
})
