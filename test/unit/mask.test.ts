// The masking rule (src/engine/mask.ts), through the database step's entry point, which on
// main replaced every occurrence of a password: a password `devsetup` turned the database
// name `devsetup-api` into `***-api`. A secret is masked where it stands as a value (a URL's
// password, `NAME=value`), a token format anywhere, and a known value anywhere only when it is
// distinctive (8+ characters of two kinds or more).
import { describe, expect, it } from 'vitest'
import { isSecretName, noteSecretEnv } from '../../src/engine/mask.js'
import { maskSecrets } from '../../src/steps/database/mask.js'

// Built here so that no token-shaped literal sits in the repository's own source.
const ghp = `ghp_${'x9Y'.repeat(12)}`
const pat = `github_pat_${'11AB'.repeat(6)}`
const glpat = `glpat-${'aB3_'.repeat(5)}`
const slack = `xoxb-${'1234-'.repeat(3)}abcdef`
const sk = `sk-proj-${'Ab1'.repeat(8)}`
const aws = `AKIA${'Q7'.repeat(8)}`

describe('masking', () => {
  it('a plain-word password is masked as a value, never inside other words', () => {
    const text =
      'created devsetup-api at postgres://app:devsetup@localhost/devsetup-api with DB_PASSWORD=devsetup'
    expect(maskSecrets(text, ['devsetup'])).toBe(
      'created devsetup-api at postgres://app:***@localhost/devsetup-api with DB_PASSWORD=***',
    )
  })

  it('a distinctive password is masked wherever it stands as a whole word', () => {
    expect(maskSecrets('driver said: bad password Wrong-pass-1 for app', ['Wrong-pass-1'])).toBe(
      'driver said: bad password *** for app',
    )
    expect(maskSecrets('xWrong-pass-12 stays', ['Wrong-pass-12'])).toBe('xWrong-pass-12 stays')
  })

  it('well-known token formats are masked anywhere, look-alikes are not', () => {
    for (const token of [ghp, pat, glpat, slack, sk, aws]) {
      expect(maskSecrets(`auth "${token}" ok`)).toBe('auth "***" ok')
    }
    expect(maskSecrets('npm i sk-some-long-package-name-here')).toBe('npm i sk-some-long-package-name-here')
    expect(maskSecrets('task-ghp_short')).toBe('task-ghp_short')
  })

  it('values of secret-named variables, noted from an environment', () => {
    // From 5 characters on a secret-named value is masked whatever its characters; under that
    // (`tiny`) it would garble ordinary words.
    noteSecretEnv({ STRIPE_SECRET: 'rk_live_Abc123xyz', HOME: '/root', API_KEY: 'tiny', SOME_URL: ghp })
    expect(maskSecrets('key rk_live_Abc123xyz, home /root, tiny, x')).toBe('key ***, home /root, tiny, x')
    expect(isSecretName('GITHUB_TOKEN')).toBe(true)
    expect(isSecretName('API_KEY')).toBe(true)
    expect(isSecretName('KEYBOARD')).toBe(false)
  })
})
