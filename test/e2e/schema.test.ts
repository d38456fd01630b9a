// `devsetup schema` and `devsetup validate` are one contract: an editor using the printed JSON
// Schema underlines exactly what validate refuses. Each recipe below goes through both (the JSON
// Schema checked by Ajv, an independent validator) and must get the same verdict, the one named.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCli, tempRepo } from '../helpers.js'

const steps = (body: string) => `version: 1\nsteps:\n${body}`

const cases: [name: string, recipe: string, valid: boolean][] = [
  [
    'every step type, as the design shows them',
    steps(`  - packages: { apt: [libpq-dev], brew: [libpq] }
  - runtime: node
  - dotenv: { from: .env.example, generate: [SESSION_SECRET] }
  - dependencies
  - service: postgres
  - database:
      engine: postgres
      url: postgres://app:app@127.0.0.1:5432/app_dev
      migrate: npm run db:migrate
      seed: npm run db:seed
  - cleanup: { paths: [log/*.log, tmp/cache] }
  - restart:
      start: npm run dev
      health: http://127.0.0.1:3000/health
`),
    true,
  ],
  ['a bare type, and a type key with nothing after it', steps('  - dependencies\n  - dotenv:\n'), true],
  [
    'durations in every accepted form',
    steps(`  - run: make
    creates: out
    timeout: 90s
  - run: make again
    creates: out2
    timeout: 5
  - restart: { start: npm run dev, health_timeout: 2m, stop_timeout: 1h30m }
  - database: { engine: sqlite, path: db.sqlite3, start_timeout: 500ms }
`),
    true,
  ],
  [
    'the camelCase spelling of a key (recipes in the wild), with a warning',
    steps(`  - database:
      url: postgres://localhost/app
      startTimeout: 40s
      migrate: npx knex migrate:latest
      migrations: db/*.js
      migrationsTable: app_migrations
  - service: { engine: redis, urlVar: CACHE_URL }
`),
    true,
  ],
  [
    'a parallel group',
    steps('  - parallel:\n      - dependencies\n      - run: make\n        creates: out\n'),
    true,
  ],
  ['dotenv with a misspelled key', steps('  - dotenv: { form: .env.example }\n'), false],
  ['timeout: soon', steps('  - run: make\n    creates: out\n    timeout: soon\n'), false],
  ['a zero timeout', steps('  - run: make\n    creates: out\n    timeout: 0s\n'), false],
  [
    'health_timeout in words',
    steps('  - restart: { start: npm run dev, health_timeout: "2 minutes" }\n'),
    false,
  ],
  [
    'start_timeout in words',
    steps('  - database: { engine: sqlite, path: db.sqlite3, start_timeout: soon }\n'),
    false,
  ],
  ['both spellings of one key', steps('  - service: { engine: redis, urlVar: A, url_var: B }\n'), false],
  ['a restart that does nothing', steps('  - restart: { health: http://127.0.0.1:3000 }\n'), false],
  [
    'restart with touch and command',
    steps('  - restart: { touch: tmp/restart.txt, command: pm2 restart api }\n'),
    false,
  ],
  ['a database without engine or url', steps('  - database: { name: app }\n'), false],
  [
    'a database with url and host',
    steps('  - database: { url: postgres://localhost/app, host: db }\n'),
    false,
  ],
  [
    'migrations without migrate',
    steps('  - database: { engine: sqlite, path: db.sqlite3, migrations: db/*.sql }\n'),
    false,
  ],
  ['signal without pidfile', steps('  - restart: { start: npm run dev, signal: USR2 }\n'), false],
  ['an unknown step type', steps('  - deploy: now\n'), false],
  ['an unknown common key', steps('  - run: make\n    creates: out\n    retires: 2\n'), false],
  ['version 2', 'version: 2\nsteps:\n  - dependencies\n', false],
]

let validateWithSchema: (recipe: unknown) => boolean

beforeAll(async () => {
  const printed = await runCli(['schema'], { cwd: tempRepo() })
  expect(printed.code).toBe(0)
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  validateWithSchema = ajv.compile(JSON.parse(printed.stdout))
})

describe('the JSON Schema refuses what validate refuses', () => {
  it.each(cases)('%s', async (_name, recipe, valid) => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    const validate = await runCli(['validate'], { cwd: repo })
    expect(validate.code, validate.stderr).toBe(valid ? 0 : 2)
    const byEditor = validateWithSchema(parse(recipe))
    expect(byEditor, 'the JSON Schema verdict').toBe(valid)
  })
})

describe('schema --write', () => {
  it('writes the schema and adds the yaml-language-server line to the recipe', async () => {
    const repo = tempRepo({ 'devsetup.yml': steps('  - dependencies\n') })
    const result = await runCli(['schema', '--write'], { cwd: repo })
    expect(result.code).toBe(0)
    const text = readFileSync(path.join(repo, 'devsetup.yml'), 'utf8')
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./devsetup.schema.json')
    expect(text).toContain('  - dependencies\n')
    expect(result.stdout).toContain('devsetup.schema.json')
    // Once is enough: a second write leaves the recipe as it is.
    await runCli(['schema', '--write'], { cwd: repo })
    expect(readFileSync(path.join(repo, 'devsetup.yml'), 'utf8')).toBe(text)
  })

  it('a recipe that names another schema is left alone, and told the exact line', async () => {
    const mine = `# yaml-language-server: $schema=https://example.test/other.json\n${steps('  - dependencies\n')}`
    const repo = tempRepo({ 'devsetup.yml': mine })
    const result = await runCli(['schema', '--write'], { cwd: repo })
    expect(result.code).toBe(0)
    expect(readFileSync(path.join(repo, 'devsetup.yml'), 'utf8')).toBe(mine)
    expect(result.stdout).toContain('\n  # yaml-language-server: $schema=./devsetup.schema.json')
  })
})

describe('one key casing', () => {
  it('an old camelCase key still works, with a warning that names the new spelling and where', async () => {
    const repo = tempRepo({
      'devsetup.yml': steps(
        '  - database:\n      engine: sqlite\n      path: db.sqlite3\n      startTimeout: 40s\n',
      ),
    })
    const result = await runCli(['validate'], { cwd: repo })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(
      'devsetup.yml:6:7: `startTimeout` is now spelled `start_timeout`: rename it (the old spelling still works, for now)',
    )
  })
})
