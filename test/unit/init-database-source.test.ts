// The database init writes is the one the app uses: never an invented SQLite file, never a compose
// service's database over the app's own config, and the new modules (MikroORM, Medusa, a knexfile
// that hands over node-config's settings) read the database where the app names it.
import { describe, expect, it } from 'vitest'
import { assembleDatabase } from '../../src/init/database.js'
import { detect } from '../../src/init/detect.js'
import type { DatabaseSource } from '../../src/init/provider.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

const repo = new RepoProbe('/tmp/shop')
const assemble = (...sources: DatabaseSource[]) => assembleDatabase(repo, sources, {}, '.env.example')
const compose: DatabaseSource = {
  engine: 'mysql',
  url: 'mysql://root@localhost:3307/from-compose',
  why: 'docker-compose.yml (service mysql)',
  rank: 5,
  fallbackOnly: true,
}

/** What init detects in a repository made of these files. */
function detected(files: Record<string, string>) {
  const found = detect(tempRepo(files), { dockerRuns: () => false })
  const database = found.steps.find((s) => s.type === 'database')
  return { database: database?.config as Record<string, unknown> | undefined, why: database?.why, found }
}

describe('assembleDatabase: only a database the app uses', () => {
  it("a compose service's database alone: a step only when something of the app connects to one (etherpad: ueberdb2 writes var/dirty.db)", () => {
    const pg: DatabaseSource = {
      ...compose,
      engine: 'postgres',
      url: 'postgres://admin:admin@localhost:5432/pad',
    }
    const withDeps = (deps: Record<string, string>) =>
      assembleDatabase(
        new RepoProbe(tempRepo({ 'package.json': JSON.stringify({ dependencies: deps }) })),
        [pg],
        {},
        undefined,
      )
    const none = withDeps({ ueberdb2: '5', express: '4' })
    expect(none?.step).toBeUndefined()
    expect(none?.notes.join('\n')).toContain("none of the app's dependencies connects to one")
    expect(withDeps({ pg: '8' })?.step?.config).toMatchObject({ engine: 'postgres' })
  })

  it('a SQLite file the app computes: no step, and the note says where it is computed', () => {
    const result = assemble({
      engine: 'sqlite',
      why: 'server/Database.js:232 (dialect sqlite)',
      rank: 4,
      computedAt: 'server/Database.js:234 (storage: this.dbPath)',
    })
    expect(result?.step).toBeUndefined()
    expect(result?.env).toEqual({})
    expect(result?.notes).toEqual([
      'database: the app uses SQLite (server/Database.js:232 (dialect sqlite)), but its file is computed at server/Database.js:234 (storage: this.dbPath): add `path:` to a database step yourself; no database step written',
    ])
  })

  it("init's own database only where the app reads the URL devsetup sets", () => {
    const told = assemble({ engine: 'postgres', why: 'knexfile.js', rank: 4, viaEnv: true })
    expect(told?.step?.config).toMatchObject({ url: '${DATABASE_URL}' })
    expect(told?.env.DATABASE_URL).toBe('${DATABASE_URL:-postgres://localhost:5432/shop_development}')
    const untold = assemble({ engine: 'postgres', why: 'src/db.ts:3 (dialect postgres)', rank: 4 })
    expect(untold?.step).toBeUndefined()
    expect(untold?.notes[0]).toContain('names its database where init could not read it')
  })

  it("a compose service's database is a fallback: never over the app's own config", () => {
    const own: DatabaseSource = { engine: 'mysql', why: 'src/orm.config.ts', rank: 0 }
    const withName = assemble({ ...own, url: 'mysql://root@localhost:3307/app_db' }, compose)
    expect(withName?.step?.config).toMatchObject({ url: 'mysql://root@localhost:3307/app_db' })
    expect(withName?.step?.why).toBe('src/orm.config.ts')
    // The app names its database somewhere init could not read: not compose's name, a note.
    const unread = assemble(own, compose)
    expect(unread?.step).toBeUndefined()
    expect(unread?.notes[0]).toContain(
      "docker-compose.yml (service mysql) names mysql://root@localhost:3307/from-compose, which the app's own config does not read",
    )
    // The app reads DATABASE_URL: compose's database is the one it is told.
    const told = assemble({ ...own, viaEnv: true }, compose)
    expect(told?.env.DATABASE_URL).toBe('${DATABASE_URL:-mysql://root@localhost:3307/from-compose}')
    // Nothing of the app's own: compose is all there is.
    expect(assemble(compose)?.step?.config).toMatchObject({ url: compose.url })
  })
})

describe('knexfile that hands over node-config settings', () => {
  const feathers = {
    'package.json': JSON.stringify({
      dependencies: { '@feathersjs/configuration': '^5', knex: '^2', sqlite3: '^5' },
      scripts: { migrate: 'knex migrate:latest' },
    }),
    'knexfile.ts':
      "import { app } from './src/app'\n\nconst config = app.get('sqlite')\nmodule.exports = config\n",
    'migrations/20240101_init.ts': 'export async function up() {}\n',
  }

  it("app.get('sqlite') is config/default.json's sqlite block, overlaid by development.json", () => {
    const { database, why } = detected({
      ...feathers,
      'config/default.json': JSON.stringify({ sqlite: { client: 'sqlite3', connection: 'chat.sqlite' } }),
      'config/development.json': JSON.stringify({ sqlite: { connection: 'chat-dev.sqlite' } }),
    })
    expect(database).toMatchObject({ engine: 'sqlite', path: 'chat-dev.sqlite', migrations: 'migrations/**' })
    expect(why).toContain(
      "knexfile.ts:3 app.get('sqlite') = sqlite in config/default.json + config/development.json (node-config)",
    )
  })

  it('a key node-config does not have: no invented file, a note', () => {
    const { database, found } = detected({
      ...feathers,
      'config/default.json': JSON.stringify({ postgresql: { client: 'pg', connection: 'postgres://x/y' } }),
    })
    expect(database).toBeUndefined()
    expect(found.notes.join('\n')).toContain('database: the app uses SQLite (knexfile.ts')
  })
})

describe('MikroORM', () => {
  const deps = (extra: Record<string, string> = {}) =>
    JSON.stringify({ dependencies: { '@mikro-orm/core': '^6', '@mikro-orm/postgresql': '^6', ...extra } })
  const config = (dbName: string) =>
    `import { defineConfig } from '@mikro-orm/postgresql'\nexport default defineConfig({\n  host: 'localhost',\n  dbName: ${dbName},\n  migrations: { path: './db/migrations' },\n})\n`

  it("dbName and the driver from the config, above compose's POSTGRES_DB; migrate with its CLI", () => {
    const { database, why } = detected({
      'package.json': deps(),
      'mikro-orm.config.ts': config("process.env.DB_NAME || 'blog'"),
      '.env.example': 'DB_NAME=blog_dev\n',
      'db/migrations/Migration20240101000000.ts': 'export class M {}\n',
      'docker-compose.yml':
        'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_DB: other\n',
    })
    // The name the app reads from .env, DB_NAME (blog_dev in the example): a reference to it.
    expect(database).toMatchObject({
      url: 'postgres://localhost:5432/${DB_NAME}',
      migrate: 'npx mikro-orm migration:up',
      migrations: 'db/migrations/**',
    })
    expect(why).toContain('dbName blog_dev from mikro-orm.config.ts:4 (DB_NAME in .env.example)')
    expect(why).not.toContain('docker-compose')
  })

  it('an app that migrates at boot gets no migrate; MIKRO_ORM_DB_NAME in the example env wins', () => {
    const { database, found } = detected({
      'package.json': deps(),
      'src/mikro-orm.config.ts.example': config("'blog'"),
      'src/main.ts': 'await orm.getMigrator().up()\n',
      '.env.example': 'MIKRO_ORM_DB_NAME=blog_env\n',
    })
    expect(database).toEqual({ engine: 'postgres', url: 'postgres://localhost:5432/${MIKRO_ORM_DB_NAME}' })
    expect(found.notes).toContain(
      'the app applies its MikroORM migrations at boot (src/main.ts:1): no migrate command',
    )
  })

  it('a dbName init cannot read: no step, the note says where', () => {
    const { database, found } = detected({
      'package.json': deps(),
      'mikro-orm.config.ts': config('names.db'),
    })
    expect(database).toBeUndefined()
    expect(found.notes.join('\n')).toContain('could not read it at mikro-orm.config.ts:4 (dbName: names.db)')
  })
})

describe('Medusa', () => {
  const app = (env: string) => ({
    'package.json': JSON.stringify({
      dependencies: { '@medusajs/medusa': '2.8.0' },
      scripts: { dev: 'medusa develop' },
    }),
    'package-lock.json': '{"lockfileVersion":3,"packages":{"":{}}}',
    'medusa-config.ts':
      'module.exports = defineConfig({\n  projectConfig: {\n    databaseUrl: process.env.DATABASE_URL,\n  },\n})\n',
    '.env.template': env,
  })

  it('an empty DATABASE_URL: the .env gets a URL on DB_NAME; medusa develop on PORT with /health', () => {
    const { database, found } = detected(app('DATABASE_URL=\nDB_NAME=shop-v2\nPORT=9100\n'))
    // The app reads DATABASE_URL from .env, which the dotenv step's `set:` fills: the step reads it there too.
    expect(database).toMatchObject({ url: '${DATABASE_URL}', migrate: 'npx medusa db:migrate' })
    const dotenv = found.steps.find((s) => s.type === 'dotenv')?.config as { set?: Record<string, string> }
    expect(dotenv.set).toEqual({ DATABASE_URL: 'postgres://localhost:5432/shop-v2' })
    const restart = found.steps.find((s) => s.type === 'restart')?.config
    expect(restart).toMatchObject({ start: 'npm run dev', health: 'http://127.0.0.1:${PORT:-9100}/health' })
  })

  it("a DATABASE_URL the example sets is the app's, read from the env", () => {
    const { database } = detected(app('DATABASE_URL=postgres://medusa@localhost:5432/store\n'))
    expect(database).toMatchObject({ url: '${DATABASE_URL}' })
  })
})
