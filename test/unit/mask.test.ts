// The masking rule (src/engine/mask.ts), through the database step's entry point, which on
// main replaced every occurrence of a password: a password `devsetup` turned the database
// name `devsetup-api` into `***-api`. A secret is masked where it stands as a value (a URL's
// password, `NAME=value`), a token format anywhere, and a known value anywhere only when it is
// distinctive (8+ characters of two kinds or more).
import { describe, expect, it } from 'vitest'
import { isSecretName, maskCommandLine, noteSecretEnv, noteSecretsIn } from '../../src/engine/mask.js'
import { maskSecrets } from '../../src/steps/database/mask.js'
import { shorten } from '../../src/steps/text.js'

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

  it('a distinctive password is masked wherever it stands, glued to other text too', () => {
    expect(maskSecrets('driver said: bad password Wrong-pass-1 for app', ['Wrong-pass-1'])).toBe(
      'driver said: bad password *** for app',
    )
    expect(maskSecrets('xWrong-pass-12 masked', ['Wrong-pass-12'])).toBe('x*** masked')
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

describe('masking, second attack on issue 22', () => {
  it('a secret-named value of 8+ characters is masked glued to other text; a shorter one as a whole word only', () => {
    noteSecretEnv({ DB_PASSWORD: 'GluedPw8842zz', DEV_SECRET: 'devel' })
    expect(maskSecrets('mysql -uroot -pGluedPw8842zz app; xGluedPw8842zzy')).toBe(
      'mysql -uroot -p*** app; x***y',
    )
    // Short common values stay readable inside words.
    expect(maskSecrets('development at devel, or -pdevel')).toBe('development at ***, or -pdevel')
  })

  it('a word-like secret of 8+ characters (one kind) is masked as a whole word only, so output stays readable', () => {
    noteSecretEnv({ POSTGRES_PASSWORD: 'harborlight' })
    expect(maskSecrets('see /usr/lib/harborlights/bin and harborlight-db')).toBe(
      'see /usr/lib/harborlights/bin and ***-db',
    )
    expect(maskSecrets('login harborlight with -xharborlight')).toBe('login *** with -xharborlight')
  })

  it('a stock password (postgres) is masked in URLs only: as a word it would garble every path naming the engine', () => {
    noteSecretEnv({ POSTGRES_PASSWORD: 'postgres' })
    noteSecretsIn({ service: { engine: 'postgres', password: 'postgres' } })
    expect(
      maskSecrets('data in /state/services/postgres/data, postgres://postgres:postgres@127.0.0.1:5433/app'),
    ).toBe('data in /state/services/postgres/data, postgres://postgres:***@127.0.0.1:5433/app')
  })

  it('secret options with a space or `=`, and the clients that take -pX / -a X', () => {
    const cases: [string, string][] = [
      ['srv --password AaSp2pass9 -v', 'srv --password *** -v'],
      ['srv --requirepass AaRq4pass9', 'srv --requirepass ***'],
      ['srv --token AaTk7pass9', 'srv --token ***'],
      [
        'srv --secret s3cr3tval --api-key=k3y9val --api-key k3y9val',
        'srv --secret *** --api-key=*** --api-key ***',
      ],
      ['srv --db-password "two words"', 'srv --db-password ***'],
      ['mysqldump -uroot -pAaMy3pass9 app && mkdir -p out', 'mysqldump -uroot -p*** app && mkdir -p out'],
      ['redis-cli -a AaRd8pass9 ping', 'redis-cli -a *** ping'],
      // A value that is an option is none (mysql then asks), a --token-file is a path.
      ['mysql --password --host db', 'mysql --password --host db'],
      ['tool --token-file /run/tok', 'tool --token-file /run/tok'],
    ]
    for (const [text, masked] of cases) expect(maskSecrets(text), text).toBe(masked)
    // Masking is idempotent: a label masked again keeps its quotes.
    expect(maskSecrets('(`srv --token ***`), and PGPASSWORD=***`')).toBe(
      '(`srv --token ***`), and PGPASSWORD=***`',
    )
  })

  it('a foreign command line masks -pX after any program', () => {
    expect(maskCommandLine('node h.js -pAaMy3pass9 --port 1')).toBe('node h.js -p*** --port 1')
  })

  it('shortening masks first, and a cut never falls inside a mask', () => {
    const title = shorten(`echo ${'c'.repeat(36)} ${ghp}`)
    expect(title).toBe(`echo ${'c'.repeat(36)} ***`)
    noteSecretEnv({ APP_PASSWORD: 'PrefixLeakSecretValue123' })
    expect(shorten(`echo ${'d'.repeat(52)}PrefixLeakSecretValue123 more`)).toBe(`echo ${'d'.repeat(52)}***…`)
    expect(shorten(`echo ${'d'.repeat(53)}PrefixLeakSecretValue123 more`)).toBe(`echo ${'d'.repeat(53)}***…`)
  })

  it("a step's own url: password and password: key are noted like the env's", () => {
    noteSecretsIn({ service: { engine: 'postgres', url: 'postgres://app:OnlyPw55xyz@127.0.0.1:1/app' } })
    noteSecretsIn({ database: { engine: 'mysql', user: 'app', password: 'KeyPw77abc' } })
    expect(maskSecrets('pw OnlyPw55xyz@127.0.0.1 and KeyPw77abc')).toBe('pw ***@127.0.0.1 and ***')
  })
})
