// init's service detection: which `service` steps a repository gets, from its files alone (what
// answers on a port is decided by the step on each machine). planServices is pure; redisUse reads a real folder.
import { describe, expect, it } from 'vitest'
import type { Detection } from '../../src/init/detect.js'
import { planServices, redisUse } from '../../src/init/detect-services.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

const withDatabase = (config: Record<string, unknown>, env: Record<string, string> = {}): Detection => ({
  steps: [
    { slot: 'dependencies', type: 'dependencies', config: undefined, why: 'package-lock.json' },
    { slot: 'database', type: 'database', config, why: '.env.example' },
  ],
  env,
  notes: [],
  providers: [],
})
const none = { redisUrl: undefined, redisWhy: undefined }

describe('planServices', () => {
  it('adds `service: postgres` before a local database step, and drops a compose `start`', () => {
    const plan = planServices(
      withDatabase(
        { engine: 'postgres', url: '${DATABASE_URL}', start: 'docker compose up -d db' },
        { DATABASE_URL: '${DATABASE_URL:-postgres://app@localhost:5433/app_dev}' },
      ),
      none,
    )
    expect(plan.steps.map((s) => s.slot)).toEqual(['dependencies', 'service:postgres', 'database'])
    expect(plan.steps[1]!.why).toBe(
      "the database step needs PostgreSQL on 127.0.0.1:5433 (one already there is used if it takes the URL's credentials)",
    )
    expect(plan.steps[2]!.config).toEqual({ engine: 'postgres', url: '${DATABASE_URL}' })
  })

  it('a remote database gets no service step', () => {
    const remote = planServices(withDatabase({ engine: 'postgres', url: 'postgres://db.internal/app' }), none)
    expect(remote.steps.map((s) => s.type)).toEqual(['dependencies', 'database'])
    expect(remote.notes).toEqual([])
  })

  it('adds `service: redis` for a Redis client, with REDIS_URL from the example as the default', () => {
    const plan = planServices(withDatabase({ engine: 'sqlite', path: 'db/dev.sqlite3' }), {
      redisUrl: 'redis://localhost:6380/1',
      redisWhy: 'REDIS_URL in .env.example',
    })
    expect(plan.steps.map((s) => s.slot)).toEqual(['dependencies', 'service:redis', 'database'])
    expect(plan.env).toEqual({ REDIS_URL: '${REDIS_URL:-redis://localhost:6380/1}' })
    expect(plan.steps[1]!.why).toBe(
      "REDIS_URL in .env.example: Redis on 127.0.0.1:6380 (one already there is used if it takes the URL's credentials)",
    )
  })

  it('adds `service: mysql` for a local MySQL database, serving its URL', () => {
    const db = withDatabase({ engine: 'mysql', url: 'mysql://root@localhost/app' })
    const plan = planServices(db, none)
    expect(plan.steps.map((s) => s.slot)).toEqual(['dependencies', 'service:mysql', 'database'])
    // The database step's own URL: the service serves exactly that one (port, user, password).
    expect(plan.steps[1]!.config).toEqual({ engine: 'mysql', url: 'mysql://root@localhost/app' })
    expect(plan.steps[1]!.why).toBe(
      "the database step needs MySQL/MariaDB on 127.0.0.1:3306 (one already there is used if it takes the URL's credentials)",
    )
  })
})

describe('redisUse', () => {
  it('finds Redis clients in package.json, Gemfile and compose files', () => {
    const why = (files: Record<string, string>) => redisUse(new RepoProbe(tempRepo(files))).why
    expect(why({ 'package.json': '{"dependencies":{"ioredis":"^5"}}' })).toBe('package.json uses ioredis')
    expect(why({ Gemfile: "gem 'sidekiq'\n" })).toBe('Gemfile uses sidekiq')
    expect(why({ 'compose.yaml': 'services:\n  cache:\n    image: redis:7\n' })).toBe(
      'compose.yaml runs Redis',
    )
    expect(why({ 'package.json': '{"dependencies":{"express":"^4"}}' })).toBeUndefined()
    // A commented-out compose service (nestjs-boilerplate's `#  redis:` block) runs nothing.
    expect(
      why({
        'docker-compose.yaml':
          'services:\n  postgres:\n    image: postgres:17\n#  redis:\n#    image: redis:7-alpine\n',
      }),
    ).toBeUndefined()
    // rails new writes `# gem "redis"`: a comment uses nothing.
    expect(
      why({
        Gemfile:
          'gem "rails"\n# Use Redis adapter to run Action Cable in production\n# gem "redis", ">= 4.0.1"\n',
      }),
    ).toBeUndefined()
  })

  it("REDIS_URL in the example env is use only when the app's code or config reads it", () => {
    const use = (files: Record<string, string>) => redisUse(new RepoProbe(tempRepo(files)))
    const example = { '.env.template': 'DATABASE_URL=\nREDIS_URL=redis://localhost:6379\n' }
    // medusa: the key is in .env.template, medusa-config.ts never reads it (a fake Redis is used).
    expect(
      use({
        ...example,
        'medusa-config.ts': 'module.exports = { projectConfig: { databaseUrl: process.env.DATABASE_URL } }\n',
      }),
    ).toEqual({
      url: 'redis://localhost:6379',
      why: undefined,
      off: 'REDIS_URL in .env.template:2, but no code or config of the app reads it',
    })
    // A compose file that hands it to a container is no reader.
    expect(
      use({
        ...example,
        'docker-compose.yml': 'services:\n  app:\n    environment:\n      REDIS_URL: redis://cache\n',
      }).why,
    ).toBeUndefined()
    expect(
      use({
        ...example,
        'src/cache.ts':
          "import Redis from 'ioredis'\nexport const redis = new Redis(process.env.REDIS_URL)\n",
      }).why,
    ).toBe('REDIS_URL in .env.template:2, read by src/cache.ts:2')
    expect(
      use({
        ...example,
        'config/cable.yml': 'development:\n  adapter: redis\n  url: <%= ENV.fetch("REDIS_URL") %>\n',
      }).why,
    ).toBe('REDIS_URL in .env.template:2, read by config/cable.yml:3')
  })

  it('a compose host in REDIS_URL is this machine; REDIS_ENABLED=false means no Redis at all', () => {
    const use = (files: Record<string, string>) => redisUse(new RepoProbe(tempRepo(files)))
    expect(
      use({ '.env.example': 'REDIS_URL=redis://redis:6379/1\n', 'app.js': 'redis(process.env.REDIS_URL)\n' })
        .url,
    ).toBe('redis://127.0.0.1:6379/1')
    const off = use({
      '.env.example': 'REDIS_ENABLED=false\nREDIS_URL=redis://redis:6379\n',
      'package.json': '{"dependencies":{"ioredis":"^5"}}',
    })
    expect(off).toEqual({ url: undefined, why: undefined, off: 'REDIS_ENABLED=false in .env.example:1' })
    const plan = planServices(
      { steps: [], env: {}, notes: [], providers: [] },
      {
        ...none,
        redisOff: off.off,
      },
    )
    expect(plan.steps).toEqual([])
    expect(plan.notes).toEqual(['REDIS_ENABLED=false in .env.example:1: no `service: redis` step'])
  })
})
