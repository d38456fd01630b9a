// Sequelize set up in the app's code (no CLI): the database `new Sequelize(...)` names, and the
// app's own script that builds its tables as the database step's `load`.
import { describe, expect, it } from 'vitest'
import { findEnvExample } from '../../src/init/env-example.js'
import { withPackageScripts } from '../../src/init/providers/node.js'
import { sequelizeInCode } from '../../src/init/providers/sequelize-code.js'
import { sequelizeSetup } from '../../src/init/providers/sequelize-config.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

const source = (files: Record<string, string>) => {
  const repo = new RepoProbe(tempRepo({ 'package.json': '{"dependencies":{"sequelize":"6"}}', ...files }))
  const found = sequelizeInCode({ repo, example: findEnvExample(repo), dockerRuns: () => false })
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
