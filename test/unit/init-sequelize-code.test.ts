// Sequelize set up in the app's code (no CLI): the database `new Sequelize(...)` names, and the
// app's own script that builds its tables as the database step's `load`.
import { describe, expect, it } from 'vitest'
import { findEnvExample } from '../../src/init/env-example.js'
import { withPackageScripts } from '../../src/init/providers/node.js'
import { sequelizeInCode } from '../../src/init/providers/sequelize-code.js'
import { sequelizeSetup } from '../../src/init/providers/sequelize-config.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

/** What sequelizeInCode finds in an app with these files (and sequelize in package.json). */
const inCode = (files: Record<string, string>) => {
  const repo = new RepoProbe(tempRepo({ 'package.json': '{"dependencies":{"sequelize":"6"}}', ...files }))
  return sequelizeInCode({ repo, example: findEnvExample(repo), dockerRuns: () => false })
}

const source = (files: Record<string, string>) => {
  const found = inCode(files).database
  return (
    found && {
      url: found.url,
      engine: found.engine,
      why: found.why,
      viaEnv: found.viaEnv,
      setVar: found.setVar,
    }
  )
}

describe('sequelizeInCode', () => {
  it('a SQLite storage: from the folder the app runs in, or from the file with __dirname; a commented-out call is not read', () => {
    const literal = [
      '// const sequelize = new Sequelize(process.env.DB_CONNECTION_URL)',
      '/* new Sequelize("postgres://old/db") */',
      "const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'data/app.sqlite' })",
    ].join('\n')
    expect(source({ 'src/db.js': literal })).toMatchObject({
      engine: 'sqlite',
      url: 'sqlite:data/app.sqlite',
      why: 'src/db.js:3 (dialect sqlite; storage data/app.sqlite)',
    })
    const joined =
      "module.exports = new Sequelize({\n  dialect: 'sqlite',\n  storage: path.join(__dirname, '..', 'var', 'app.db'),\n})"
    expect(source({ 'src/db/index.js': joined })?.url).toBe('sqlite:src/var/app.db')
    expect(source({ 'db.js': "new Sequelize({ dialect: 'sqlite', storage: ':memory:' })" })).toMatchObject({
      engine: 'sqlite',
      url: undefined,
    })
  })

  it('a URL in the call, or in the env variable it reads (which the new .env must keep)', () => {
    expect(
      source({ 'db.js': "new Sequelize('postgres://u:p@localhost:5432/shop', { logging: false })" }),
    ).toMatchObject({
      engine: 'postgres',
      url: 'postgres://u:p@localhost:5432/shop',
    })
    const fromEnv = source({
      'db.js': 'new Sequelize(process.env.SHOP_DB)',
      '.env.example': 'SHOP_DB=mysql://root@localhost/shop\n',
    })
    expect(fromEnv).toMatchObject({ engine: 'mysql', setVar: 'SHOP_DB', viaEnv: undefined })
    expect(fromEnv?.why).toContain('SHOP_DB in .env.example:1')
    expect(
      source({
        'db.js': 'new Sequelize(process.env.DATABASE_URL)',
        '.env.example': 'DATABASE_URL=postgres://localhost/x\n',
      })?.viaEnv,
    ).toBe(true)
    expect(source({ 'db.js': 'const x = 1' })).toBeUndefined()
  })
})

describe('sequelizeInCode: values from a config module the file requires (loaded, not guessed)', () => {
  const dbConfig = [
    'module.exports = {',
    "  HOST: process.env.DB_HOST || 'localhost',",
    '  PORT: Number(process.env.DB_PORT || 5432),',
    "  USER: 'tutor',",
    "  PASSWORD: 'secret',",
    "  DB: ['tutorials', 'dev'].join('_'),",
    "  dialect: 'postgres',",
    '  pool: { max: 5 },',
    '}',
  ].join('\n')
  const models = [
    "const dbConfig = require('../config/db.config.js')",
    "const Sequelize = require('sequelize')",
    'const sequelize = new Sequelize(dbConfig.DB, dbConfig.USER, dbConfig.PASSWORD, {',
    '  host: dbConfig.HOST,',
    '  port: dbConfig.PORT,',
    '  dialect: dbConfig.dialect,',
    '  pool: { max: dbConfig.pool.max },',
    '})',
    'module.exports = sequelize',
  ].join('\n')

  it("(database, username, password, { host, port, dialect }): the module's values, computed ones too, with both files in why", () => {
    const found = source({ 'app/config/db.config.js': dbConfig, 'app/models/index.js': models })
    expect(found).toMatchObject({
      engine: 'postgres',
      url: 'postgres://tutor:secret@localhost:5432/tutorials_dev',
    })
    expect(found?.why).toBe(
      'app/models/index.js:3 (new Sequelize(dbConfig.DB…)), values from app/config/db.config.js (dialect postgres; host localhost; port 5432; username tutor; database tutorials_dev)',
    )
  })

  it('values the module reads from the example env keep their keys (${KEY} in urlRef), say so in why', () => {
    const { database } = inCode({
      '.env.example': 'DB_HOST=127.0.0.1\nDB_PORT=6543\n',
      'app/config/db.config.js': dbConfig,
      'app/models/index.js': models,
    })
    expect(database?.url).toBe('postgres://tutor:secret@127.0.0.1:6543/tutorials_dev')
    expect(database?.urlRef).toBe('postgres://tutor:secret@${DB_HOST}:${DB_PORT}/tutorials_dev')
    expect(database?.why).toContain('host 127.0.0.1 from DB_HOST in .env.example')
  })

  it('destructured names, an ES import without extension, (options) alone, and a SQLite storage', () => {
    const destructured = source({
      'config/db.js':
        "module.exports = { DB: 'shop', USER: 'root', PASSWORD: '', HOST: 'localhost', dialect: 'mysql' }",
      'src/db.js':
        "const { DB, USER, PASSWORD, HOST: host, dialect } = require('../config/db')\nnew Sequelize(DB, USER, PASSWORD, { host, dialect })",
    })
    expect(destructured).toMatchObject({ engine: 'mysql', url: 'mysql://root@localhost:3306/shop' })
    const esm = source({
      'src/config.mjs':
        "export default { database: 'notes', username: 'n', host: 'db.local', dialect: 'postgres' }",
      'src/db.mjs': "import config from './config.mjs'\nexport const db = new Sequelize(config)",
    })
    expect(esm).toMatchObject({ engine: 'postgres', url: 'postgres://n@db.local:5432/notes' })
    const sqlite = source({
      'db/config.js':
        "const path = require('path')\nmodule.exports = { dialect: 'sqlite', storage: path.join(__dirname, 'app.sqlite') }",
      'db/index.js':
        "const cfg = require('./config')\nnew Sequelize({ dialect: cfg.dialect, storage: cfg.storage })",
    })
    expect(sqlite).toMatchObject({ engine: 'sqlite', url: 'sqlite:db/app.sqlite' })
  })

  it('a module that cannot be loaded: no database, and a note that says why', () => {
    const found = inCode({
      'config/db.js':
        "require('node:fs').writeFileSync('/tmp/x', 'x')\nmodule.exports = { dialect: 'postgres' }",
      'db.js':
        "const c = require('./config/db')\nnew Sequelize(c.DB, c.USER, c.PASSWORD, { dialect: c.dialect })",
    })
    expect(found.database).toBeUndefined()
    expect(found.notes).toEqual([
      expect.stringMatching(/^db\.js:2 \(new Sequelize\(c\.DB…\)\): config\/db\.js: loading it failed/),
    ])
  })
})

describe('withPackageScripts: the app script that builds the tables', () => {
  const commands = (scripts: Record<string, string>, tool = {}) =>
    withPackageScripts(
      new RepoProbe(tempRepo({ 'package.json': JSON.stringify({ scripts }) })),
      tool,
      undefined,
    )

  it('is `load` when nothing migrates: setup*db*, db:setup, db:init, *-db; never a drop, reset, prod or db:create', () => {
    for (const name of ['setup-example-db', 'db:setup', 'db:init', 'init-db', 'setupdb'])
      expect(commands({ [name]: 'node setup.js' })).toEqual({ load: `npm run ${name}` })
    for (const name of ['db:create', 'drop-db', 'reset-db', 'setup-prod-db', 'db:reset'])
      expect(commands({ [name]: 'node x.js' })).toEqual({})
  })

  it('is left out when a migrate command exists (the tool, or a package script)', () => {
    expect(commands({ 'setup-db': 'node s.js', 'db:migrate': 'knex migrate:latest' })).toEqual({
      migrate: 'npm run db:migrate',
    })
    expect(commands({ 'setup-db': 'node s.js' }, { migrate: 'npx sequelize-cli db:migrate' })).toEqual({
      migrate: 'npx sequelize-cli db:migrate',
    })
  })
})

describe("sequelize-cli's config block", () => {
  const setup = (scripts: Record<string, string>, config: string) => {
    const repo = new RepoProbe(
      tempRepo({
        'package.json': JSON.stringify({ scripts, dependencies: { sequelize: '6', 'sequelize-cli': '6' } }),
        'config/config.js': config,
      }),
    )
    return sequelizeSetup({ repo, example: findEnvExample(repo), dockerRuns: () => false })
  }
  const production = "module.exports = { production: { dialect: 'sqlite', storage: './data/app.sqlite' } }\n"

  it('with no development block: the one the app’s own migrate script passes with --env, else none, said', () => {
    const found = setup({ 'db:migrate': 'sequelize-cli db:migrate --env production' }, production)
    expect(found.database?.url).toBe('sqlite:data/app.sqlite')
    expect(found.database?.why).toContain('production, the --env of scripts.db:migrate')
    const two = setup(
      { 'db:migrate': 'sequelize-cli db:migrate' },
      "module.exports = { test: { dialect: 'sqlite' }, production: { dialect: 'postgres' } }\n",
    )
    expect(two.database).toBeUndefined()
    expect(two.notes.join('\n')).toMatch(/no development block/)
  })
})
