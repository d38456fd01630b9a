// Which keys init lists in the dotenv step's `required:`: the example's filled keys the app's
// code reads (one scan with the secrets', src/init/secrets.ts), each with where it is read, and
// never a key the code only names in a comment.
import { describe, expect, it } from 'vitest'
import { findEnvExample } from '../../src/init/env-example.js'
import { dotenv } from '../../src/init/providers/dotenv.js'
import { RepoProbe } from '../../src/init/repo.js'
import { keysReadInCode } from '../../src/init/secrets.js'
import { tempRepo } from '../helpers.js'

const example = [
  'PORT=4000',
  'MYSQL_DATABASE=app_dev',
  'PASSWORD=0123456789',
  'USER=admin',
  'DB_HOST=127.0.0.1',
  'FEATURE_MAIL=on',
  'COMMENTED=x',
  'UNUSED=y',
  'EMPTY_READ=',
  'SECRET=4715aed3216f7b0a38',
  'VITE_TITLE=Shop',
  'DB_URL_VAR=postgres://x',
  'OPTIONAL_KEY=z',
].join('\n')

const files = {
  '.env.example': example,
  'server.js': [
    'const port = process.env.PORT || 3000 // process.env.UNUSED in a trailing comment',
    '// console.log(process.env.COMMENTED)',
    '/* process.env.COMMENTED',
    '   still a comment */',
    "const url = 'http://localhost/' + process.env['MYSQL_DATABASE']",
    'const { USER, PASSWORD: pw } = process.env',
    'if (process?.env?.FEATURE_MAIL) require("./mail")',
    'const e = process.env.EMPTY_READ',
    'const s = process.env.SECRET',
  ].join('\n'),
  'src/db.js':
    "const env = process.env\nmodule.exports = { host: env.DB_HOST, use_env_variable: 'DB_URL_VAR' }\n",
  'web/main.ts': 'document.title = import.meta.env.VITE_TITLE\n',
  'src/opt.ts': "import { env } from 'node:process'\nexport const o = env['OPTIONAL_KEY']\n",
}

describe('keys the code reads', () => {
  it('finds reads in every form, with file:line; a comment is no read', () => {
    const repo = new RepoProbe(tempRepo(files))
    const reads = keysReadInCode(repo, findEnvExample(repo)!)
    expect(Object.fromEntries(reads)).toEqual({
      PORT: 'server.js:1',
      MYSQL_DATABASE: 'server.js:5',
      USER: 'server.js:6',
      PASSWORD: 'server.js:6',
      FEATURE_MAIL: 'server.js:7',
      EMPTY_READ: 'server.js:8',
      SECRET: 'server.js:9',
      DB_HOST: 'src/db.js:2',
      DB_URL_VAR: 'src/db.js:2',
      VITE_TITLE: 'web/main.ts:1',
      OPTIONAL_KEY: 'src/opt.ts:2',
    })
  })

  it('the dotenv step requires the filled ones it does not generate, and init says where each is read, once', () => {
    const repo = new RepoProbe(tempRepo(files))
    const found = findEnvExample(repo)!
    const contributed = dotenv.contribute({ repo, example: found } as Parameters<typeof dotenv.contribute>[0])
    const config = contributed.steps![0]!.config as { required: string[]; generate: string[] }
    // SECRET is generated (its own rule); EMPTY_READ has no value to put back; COMMENTED and UNUSED are never read.
    expect(config.generate).toEqual(['SECRET'])
    expect([...config.required].sort()).toEqual(
      [
        'DB_HOST',
        'DB_URL_VAR',
        'FEATURE_MAIL',
        'MYSQL_DATABASE',
        'OPTIONAL_KEY',
        'PASSWORD',
        'PORT',
        'USER',
        'VITE_TITLE',
      ].sort(),
    )
    const notes = contributed.notes!.filter((n) => n.startsWith('required:'))
    expect(notes).toHaveLength(1)
    expect(notes[0]).toContain('MYSQL_DATABASE (server.js:5)')
    expect(notes[0]).toContain('take it out of `required:` first')
  })
})

describe('filled keys the code reads that are not required', () => {
  const required = (files: Record<string, string>) => {
    const repo = new RepoProbe(tempRepo(files))
    const contributed = dotenv.contribute({
      repo,
      example: findEnvExample(repo)!,
    } as Parameters<typeof dotenv.contribute>[0])
    const config = contributed.steps![0]!.config as { required?: string[] }
    return { required: config.required ?? [], notes: contributed.notes!.join('\n') }
  }

  it("another service's credential (a DSN, an API key, a client id) and a placeholder value: not required, and said why", () => {
    const { required: keys, notes } = required({
      '.env.example': [
        'SENTRY_DSN=https://0123abc@o1.ingest.sentry.io/42',
        'OPENAI_API_KEY=your-openai-key',
        'STRIPE_SECRET_KEY=sk_test_xxx',
        'GITHUB_CLIENT_ID=Iv1.0123456789',
        'ADMIN_EMAIL=<your-email>',
        'API_PORT=4000',
        'DB_NAME=shop_dev',
      ].join('\n'),
      'src/app.ts': [
        'Sentry.init({ dsn: process.env.SENTRY_DSN })',
        'const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY })',
        'const stripe = new Stripe(process.env.STRIPE_SECRET_KEY)',
        'const github = { id: process.env.GITHUB_CLIENT_ID }',
        'const admin = process.env.ADMIN_EMAIL',
        'app.listen(process.env.API_PORT)',
        'db.connect(process.env.DB_NAME)',
      ].join('\n'),
    })
    // The app's own port and database name stay: API_PORT is no credential though its name says API.
    expect(keys).toEqual(['API_PORT', 'DB_NAME'])
    expect(notes).toContain(
      "not in `required:`: SENTRY_DSN (src/app.ts:1), OPENAI_API_KEY (src/app.ts:2), STRIPE_SECRET_KEY (src/app.ts:3), GITHUB_CLIENT_ID (src/app.ts:4): another service's credential",
    )
    expect(notes).toContain('not in `required:`: ADMIN_EMAIL (src/app.ts:5): a placeholder value')
  })

  it("a read with `||` falling back to the example's value: not required; `??`, another fallback value: required", () => {
    const { required: keys, notes } = required({
      '.env.example': ['PORT=3000', 'HOST=127.0.0.1', 'WORKERS=2', 'DB_NAME=app_dev'].join('\n'),
      'server.js': [
        'app.listen(Number(process.env.PORT || 3000))',
        "const host = process.env['HOST'] || '127.0.0.1'",
        'const workers = Number(process.env.WORKERS ?? 2)',
        "const name = process.env.DB_NAME || 'app'",
      ].join('\n'),
    })
    // `??` keeps an emptied key's '' (Number('') is 0); DB_NAME's fallback is another database.
    expect(keys).toEqual(['WORKERS', 'DB_NAME'])
    expect(notes).toContain(
      "not in `required:`: PORT (server.js:1), HOST (server.js:2): read with a fallback to the example's value",
    )
  })

  it('reads in Ruby and Python count too (Rails reads .env through dotenv-rails), with their own fallbacks', () => {
    const { required: keys, notes } = required({
      '.env.example': [
        'MAILER_FROM=a@b.c',
        'DB_HOST=db',
        'PORT=3000',
        'THREADS=5',
        'API_BASE=/api',
        'GONE=x',
      ].join('\n'),
      'config/database.yml': ['development:', '  host: <%= ENV.fetch("DB_HOST") { "localhost" } %>'].join(
        '\n',
      ),
      'config/puma.rb': ['port ENV.fetch("PORT") { 3000 }', 'threads ENV.fetch("THREADS", 5)'].join('\n'),
      'config/initializers/mail.rb': ['# ENV["GONE"] is not read', 'FROM = ENV["MAILER_FROM"]'].join('\n'),
      'app/settings.py': 'API = os.environ.get("API_BASE", "/api")\n',
    })
    // DB_HOST falls back to another host than the example's `db`: emptied, the app goes elsewhere.
    expect(keys).toEqual(['DB_HOST', 'MAILER_FROM'])
    expect(notes).toContain(
      'required: DB_HOST (config/database.yml:2), MAILER_FROM (config/initializers/mail.rb:2)',
    )
    expect(notes).toContain(
      'API_BASE (app/settings.py:1), PORT (config/puma.rb:1), THREADS (config/puma.rb:2): read with a fallback',
    )
  })
})
