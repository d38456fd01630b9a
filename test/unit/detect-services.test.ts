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
  it('finds Redis job frameworks in package.json and Gemfile, and compose files running Redis', () => {
    const why = (files: Record<string, string>) => redisUse(new RepoProbe(tempRepo(files))).why
    expect(why({ 'package.json': '{"dependencies":{"bullmq":"^5"}}' })).toBe(
      'package.json uses bullmq, which runs only on Redis',
    )
    expect(why({ Gemfile: "gem 'sidekiq'\n" })).toBe('Gemfile uses sidekiq, which runs only on Redis')
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

  it('a Redis client alone is no use (uptime-kuma: a monitor type); a Redis host or URL the code or config reads is', () => {
    const use = (files: Record<string, string>) => redisUse(new RepoProbe(tempRepo(files)))
    const client = { 'package.json': '{"dependencies":{"redis":"^4","express":"^4"}}' }
    expect(
      use({
        ...client,
        'server/monitor-types/redis.js':
          "const { createClient } = require('redis')\nconst c = createClient({ url: monitor.url })\n",
      }),
    ).toEqual({
      url: undefined,
      why: undefined,
      off: 'package.json has redis, but no code or config of the app reads a Redis URL or host (a client alone may serve a feature pointed at another server)',
    })
    // cnpmcore: an Egg config block, its host and port from CNPMCORE_REDIS_* keys.
    expect(
      use({
        ...client,
        'config/config.default.ts':
          "config.redis = {\n  client: {\n    port: env('CNPMCORE_REDIS_PORT', 'number', 6379),\n    host: env('CNPMCORE_REDIS_HOST'),\n  },\n}\n",
      }).why,
    ).toBe('CNPMCORE_REDIS_PORT read by config/config.default.ts:3')
    // A config block with a literal host, no env key.
    expect(
      use({ ...client, 'config/default.json': '{ "redis": { "host": "127.0.0.1", "port": 6379 } }\n' }).why,
    ).toBe('config/default.json:1 configures Redis')
    // A setting of Redis's (a key prefix) says nothing of where it is.
    expect(use({ ...client, 'src/cache.js': "const REDIS_KEY_PREFIX = 'history:'\n" }).why).toBeUndefined()
    // devsetup's own recipe, written by init, is no reader of the app's.
    expect(
      use({ ...client, 'devsetup.yml': 'env:\n  REDIS_URL: redis://127.0.0.1:6379\n' }).why,
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

  // `rails new`'s config/cable.yml: Redis in production only, development on `async`.
  const stockCable =
    'development:\n  adapter: async\n\ntest:\n  adapter: test\n\nproduction:\n  adapter: redis\n  url: <%= ENV.fetch("REDIS_URL") { "redis://localhost:6379/1" } %>\n  channel_prefix: ledger_production\n'

  it("a YAML config with environment sections counts its development section only (rails new's cable.yml: no Redis)", () => {
    const use = (files: Record<string, string>) => redisUse(new RepoProbe(tempRepo(files)))
    const rails = { Gemfile: "source 'https://rubygems.org'\ngem 'rails'\n# gem 'redis'\n" }
    expect(use({ ...rails, 'config/cable.yml': stockCable }).why).toBeUndefined()
    // The example's REDIS_URL read only by production's section is no use either.
    const withExample = use({
      ...rails,
      '.env.example': 'REDIS_URL=redis://localhost:6379/1\n',
      'config/cable.yml': stockCable,
    })
    expect(withExample.why).toBeUndefined()
    expect(withExample.off).toBe('REDIS_URL in .env.example:1, but no code or config of the app reads it')
    const development = stockCable.replace(
      'adapter: async',
      'adapter: redis\n  url: redis://localhost:6379/1',
    )
    expect(use({ ...rails, 'config/cable.yml': development }).why).toBe('config/cable.yml:2 configures Redis')
    // Merged from an anchor (`<<: *default`) development reads: Redis; the same anchor merged only by production: none.
    const anchored = (env: string) =>
      `default: &default\n  adapter: redis\n  url: <%= ENV.fetch("REDIS_URL") %>\n\ndevelopment:\n  adapter: async\n\n${env}:\n  <<: *default\n`
    expect(use({ ...rails, 'config/cable.yml': anchored('production') }).why).toBeUndefined()
    expect(use({ ...rails, 'config/cable.yml': anchored('development') }).why).toBe(
      'REDIS_URL read by config/cable.yml:3',
    )
    // The same for a database.yml-shaped config/redis.yml: its production host is not this machine's need.
    const redisYml = 'shared:\n  db: 0\n\nproduction:\n  url: <%= ENV["REDIS_URL"] %>\n'
    expect(use({ ...rails, 'config/redis.yml': redisYml }).why).toBeUndefined()
    expect(use({ ...rails, 'config/redis.yml': redisYml.replace('production', 'development') }).why).toBe(
      'REDIS_URL read by config/redis.yml:5',
    )
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
