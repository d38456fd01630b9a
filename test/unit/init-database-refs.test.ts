// With a dotenv step, init writes the database (and service) step's `url:` as `${KEY}` references
// to the .env keys the app reads, so an edit of .env (MYSQL_DATABASE=other) moves the check with
// the app instead of leaving `doctor` on the example's database. A literal stays where no key
// gives a part: no dotenv step, a key with an empty value, a value a URL must escape.
import { describe, expect, it } from 'vitest'
import { localiseHosts } from '../../src/init/compose-hosts.js'
import { databaseFromEnv, firstRunValue } from '../../src/init/database-env.js'
import { detect } from '../../src/init/detect.js'
import { planServices } from '../../src/init/detect-services.js'
import type { EnvExample } from '../../src/init/env-example.js'
import { tempRepo } from '../helpers.js'

const example = (text: string): EnvExample => {
  const vars: Record<string, string> = {}
  const lines: Record<string, number> = {}
  for (const [i, line] of text.split('\n').entries()) {
    const m = /^(\w+)=(.*)$/.exec(line)
    if (m) [vars[m[1]!], lines[m[1]!]] = [m[2]!, i + 1]
  }
  return { file: '.env.example', why: '.env.example', vars, lines } as EnvExample
}

const mysqlApp = (env: string, extra: Record<string, string> = {}) => ({
  'package.json': JSON.stringify({ dependencies: { express: '4', sequelize: '6', mysql2: '3' } }),
  'src/db.js': [
    "const mysql = require('mysql2')",
    'module.exports = mysql.createPool({',
    '  host: process.env.MYSQL_HOST,',
    '  port: process.env.MYSQL_PORT,',
    '  user: process.env.MYSQL_USER,',
    '  password: process.env.MYSQL_PASSWORD,',
    '  database: process.env.MYSQL_DATABASE,',
    '})',
  ].join('\n'),
  '.env.example': env,
  ...extra,
})

/** The database and service steps init plans for a repository made of these files. */
function planned(files: Record<string, string>) {
  const found = detect(tempRepo(files), { dockerRuns: () => false })
  const plan = planServices(found, { redisUrl: undefined, redisWhy: undefined })
  const config = (type: string) => plan.steps.find((s) => s.type === type)?.config
  return { database: config('database') as Record<string, unknown>, service: config('service'), plan }
}

describe('databaseFromEnv: the URL and its references to the keys it is built from', () => {
  it('split keys: each part a reference; a compose host is one too, the set: gives this machine', () => {
    const found = databaseFromEnv(
      example('DB_TYPE=postgres\nDB_HOST=db\nDB_PORT=5433\nDB_USER=app\nDB_PASSWORD=pw\nDB_NAME=shop'),
    )!
    expect(found.url).toBe('postgres://app:pw@127.0.0.1:5433/shop')
    expect(found.urlRef).toBe('postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT}/${DB_NAME}')
    expect(found.set).toEqual({ DB_HOST: '127.0.0.1' })
  })

  it('an empty value, a value the URL must escape and a missing port stay literal parts', () => {
    const found = databaseFromEnv(
      example('DB_TYPE=mysql\nDB_HOST=localhost\nDB_USER=app@corp\nDB_PASSWORD=\nDB_NAME=shop'),
    )!
    expect(found.url).toBe('mysql://app%40corp@localhost:3306/shop')
    expect(found.urlRef).toBe('mysql://app%40corp@${DB_HOST}:3306/${DB_NAME}')
  })

  it('DATABASE_URL: a reference to it, unless it is built from other keys', () => {
    expect(databaseFromEnv(example('DATABASE_URL=postgres://a@localhost/x'))!.urlRef).toBe('${DATABASE_URL}')
    const built = databaseFromEnv(example('PW=s\nDATABASE_URL=postgres://a:${PW}@localhost/x'))!
    expect(built.url).toBe('postgres://a:s@localhost/x')
    expect(built.urlRef).toBeUndefined()
  })

  it('firstRunValue: what a reference names before .env exists (set:, else the example; a compose host is here)', () => {
    const env = example('DB_HOST=db\nDB_NAME=shop')
    expect(firstRunValue('postgres://${DB_HOST}/${DB_NAME}', env)).toBe('postgres://127.0.0.1/shop')
    expect(firstRunValue('postgres://${DB_HOST}/${DB_NAME}', env, { DB_NAME: 'dev' })).toBe(
      'postgres://127.0.0.1/dev',
    )
    expect(firstRunValue('postgres://${DB_HOST}/${NOPE}', env)).toBeUndefined()
  })
})

describe('init: the database and service steps read .env where the app does', () => {
  it('MYSQL_* keys the code reads: references in both steps, no recipe-level literal', () => {
    const { database, service, plan } = planned(
      mysqlApp(
        'MYSQL_HOST=localhost\nMYSQL_PORT=3306\nMYSQL_USER=app\nMYSQL_PASSWORD=secret\nMYSQL_DATABASE=app_dev\n',
      ),
    )
    const url = 'mysql://${MYSQL_USER}:${MYSQL_PASSWORD}@${MYSQL_HOST}:${MYSQL_PORT}/${MYSQL_DATABASE}'
    expect(database).toMatchObject({ engine: 'mysql', url })
    expect(service).toEqual({ engine: 'mysql', url })
    expect(plan.env).toEqual({})
    // The service's address comes from the reference as the first run resolves it.
    expect(plan.steps.find((s) => s.type === 'service')!.why).toContain('MySQL/MariaDB on 127.0.0.1:3306')
    // The dotenv step comes before the steps that read its file.
    const types = plan.steps.map((s) => s.type)
    expect(types.indexOf('dotenv')).toBeLessThan(types.indexOf('service'))
    expect(plan.notes.join('\n')).toContain(
      'database: its url reads MYSQL_USER, MYSQL_PASSWORD, MYSQL_HOST, MYSQL_PORT, MYSQL_DATABASE from .env',
    )
  })

  it("a compose host: a reference too, the service's address is this machine's", () => {
    const { database, plan } = planned(
      mysqlApp(
        'MYSQL_HOST=mysql\nMYSQL_PORT=3307\nMYSQL_USER=app\nMYSQL_PASSWORD=s\nMYSQL_DATABASE=app_dev\n',
      ),
    )
    expect(database.url).toBe(
      'mysql://${MYSQL_USER}:${MYSQL_PASSWORD}@${MYSQL_HOST}:${MYSQL_PORT}/${MYSQL_DATABASE}',
    )
    expect(plan.steps.find((s) => s.type === 'service')!.why).toContain('127.0.0.1:3307')
    // …and the new .env gets this machine for it, which the reference then reads.
    const dotenv = localiseHosts(plan, plan.example).steps.find((s) => s.type === 'dotenv')!
    expect((dotenv.config as { set?: object }).set).toEqual({ MYSQL_HOST: '127.0.0.1' })
  })

  it('an empty password in the example stays out of the URL (a reference would not resolve)', () => {
    const { database } = planned(
      mysqlApp(
        'MYSQL_HOST=localhost\nMYSQL_PORT=3306\nMYSQL_USER=root\nMYSQL_PASSWORD=\nMYSQL_DATABASE=app\n',
      ),
    )
    expect(database.url).toBe('mysql://${MYSQL_USER}@${MYSQL_HOST}:${MYSQL_PORT}/${MYSQL_DATABASE}')
  })

  it('the app reads DATABASE_URL from its example: `${DATABASE_URL}` for both steps, no literal default in env', () => {
    const { database, service, plan } = planned({
      'package.json': JSON.stringify({ dependencies: { pg: '8' } }),
      'src/db.js':
        "const { Pool } = require('pg')\nnew Pool({ connectionString: process.env.DATABASE_URL })\n",
      '.env.example': 'DATABASE_URL=postgres://app:app@localhost:5432/app_dev\n',
    })
    expect(database.url).toBe('${DATABASE_URL}')
    expect(service).toEqual({ engine: 'postgres', url: '${DATABASE_URL}' })
    expect(plan.env).toEqual({})
    expect(plan.dropEnvUrl).toBe(true)
  })

  it('no example env, so no dotenv step: the literal URL, as before', () => {
    const { database } = planned({
      'package.json': JSON.stringify({ dependencies: { knex: '3', pg: '8' } }),
      'knexfile.js':
        "module.exports = { development: { client: 'pg', connection: { host: process.env.DB_HOST || 'localhost', database: process.env.DB_NAME || 'shop' } } }\n",
    })
    expect(database.url).toBe('postgres://localhost:5432/shop')
  })

  it('a loaded config: a key only where its value is that one key’s; two keys with one value pick the one named for the field', () => {
    const { database } = planned({
      'package.json': JSON.stringify({ dependencies: { knex: '3', pg: '8' } }),
      '.env.example': 'DB_HOST=localhost\nDB_USER=root\nDB_PASS=root\nDB_NAME=shop\nDB_SUFFIX=_dev\n',
      'knexfile.js': [
        'module.exports = { development: { client: "pg", connection: {',
        '  host: process.env.DB_HOST, user: process.env.DB_USER, password: process.env.DB_PASS,',
        '  database: process.env.DB_NAME + process.env.DB_SUFFIX,',
        '} } }',
      ].join('\n'),
    })
    // The computed name (shop_dev) is no key's value: it stays literal.
    expect(database.url).toBe('postgres://${DB_USER}:${DB_PASS}@${DB_HOST}:5432/shop_dev')
  })
})

describe('Redis from the example env', () => {
  it('REDIS_URL in the example: the service reads it from .env, no recipe-level literal', () => {
    const base = detect(tempRepo({ '.env.example': 'REDIS_URL=redis://localhost:6380\n' }), {
      dockerRuns: () => false,
    })
    const plan = planServices(base, {
      redisUrl: 'redis://localhost:6380',
      redisWhy: 'REDIS_URL read by app.js:1',
    })
    expect(plan.steps.find((s) => s.slot === 'service:redis')!.config).toEqual({
      engine: 'redis',
      url: '${REDIS_URL}',
    })
    expect(plan.env).toEqual({})
  })

  it('no dotenv step: the literal default, as before', () => {
    const plan = planServices(
      { steps: [], env: {}, notes: [], providers: [] },
      { redisUrl: 'redis://localhost:6380', redisWhy: 'REDIS_URL read by app.js:1' },
    )
    expect(plan.steps[0]!.config).toBe('redis')
    expect(plan.env).toEqual({ REDIS_URL: '${REDIS_URL:-redis://localhost:6380}' })
  })

  it('REDIS_HOST / REDIS_PORT / REDIS_PASSWORD: the service listens where the app connects, read from .env', () => {
    const base = detect(
      tempRepo({
        '.env.example': 'CACHE_REDIS_HOST=redis\nCACHE_REDIS_PORT=6390\nCACHE_REDIS_PASSWORD=s3cret\n',
      }),
      { dockerRuns: () => false },
    )
    const plan = planServices(base, { redisUrl: undefined, redisWhy: 'CACHE_REDIS_HOST read by app.js:1' })
    const step = plan.steps.find((s) => s.slot === 'service:redis')!
    expect(step.config).toEqual({
      engine: 'redis',
      url: 'redis://:${CACHE_REDIS_PASSWORD}@${CACHE_REDIS_HOST}:${CACHE_REDIS_PORT}',
    })
    // The compose host `redis` is this machine once devsetup runs the server.
    expect(step.why).toContain(
      'Redis on 127.0.0.1:6390 (CACHE_REDIS_HOST, CACHE_REDIS_PORT, CACHE_REDIS_PASSWORD in .env)',
    )
    expect(plan.env).toEqual({})
  })
})
