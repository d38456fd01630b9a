// loadConfig: a config module run in a child `node` under the permission model, with only the
// example env's values; whatever it cannot do safely gives no value and a reason (the provider
// then reads the file statically).
import { existsSync, realpathSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { detect } from '../../src/init/detect.js'
import { findEnvExample } from '../../src/init/env-example.js'
import { envSourceOf, type LoadResult, loadConfig, repoPath } from '../../src/init/load-config.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

const load = (files: Record<string, string>, file: string, timeoutMs?: number) => {
  const repo = new RepoProbe(tempRepo(files))
  return { repo, result: loadConfig(repo, file, findEnvExample(repo), timeoutMs ? { timeoutMs } : {}) }
}
const value = (result: LoadResult) => {
  if (!result.ok) throw new Error(result.reason)
  return result.config.value as Record<string, Record<string, unknown>>
}

describe('loadConfig', () => {
  it("resolves path.join(__dirname, …) and process.env.X || 'default' as the tool would, naming the env key", () => {
    const { repo, result } = load(
      {
        '.env.example': 'DB_FILENAME=db/data\nPORT=4000\n',
        'knexfile.js': [
          "const path = require('path')",
          'module.exports = { development: {',
          "  client: process.env.DB_CLIENT || 'better-sqlite3',",
          '  connection: { filename: process.env.DB_FILENAME },',
          "  migrations: { directory: path.join(__dirname, 'server', 'migrations') },",
          '} }',
        ].join('\n'),
      },
      'knexfile.js',
    )
    const dev = value(result).development!
    expect(dev.client).toBe('better-sqlite3')
    expect(dev.connection).toEqual({ filename: 'db/data' })
    const directory = (dev.migrations as { directory: string }).directory
    expect(path.isAbsolute(directory)).toBe(true)
    expect(repoPath(repo.root, '.', directory)).toBe('server/migrations')
    if (!result.ok) return
    // Read and set in the example: DB_FILENAME; read and unset: DB_CLIENT (not a source); never read: PORT.
    expect(result.config.envRead).toEqual({ DB_FILENAME: 'db/data' })
    expect(envSourceOf(result.config, 'db/data')).toBe('DB_FILENAME in .env.example')
    expect(envSourceOf(result.config, 'better-sqlite3')).toBeUndefined()
  })

  it("require('dotenv').config() and a validator from packages a fresh clone lacks do not throw", () => {
    const { result } = load(
      {
        '.env.example': 'DB_HOST=localhost\nDB_NAME=shop\n',
        'config/config.js': [
          "require('dotenv').config()",
          "const { cleanEnv, str } = require('envalid')",
          "const env = cleanEnv(process.env, { DB_HOST: str(), DB_NAME: str({ default: 'x' }) })",
          "module.exports = { development: { dialect: 'mysql', host: env.DB_HOST, database: env.DB_NAME,",
          '  logging: require("debug")("sql") } }',
        ].join('\n'),
      },
      'config/config.js',
    )
    expect(value(result).development).toEqual({ dialect: 'mysql', host: 'localhost', database: 'shop' })
    if (result.ok) expect(result.config.stubbed).toEqual(['dotenv', 'envalid', 'debug'])
  })

  it("nothing of the person's shell reaches the config; NODE_ENV is development", () => {
    process.env.DEVSETUP_TEST_SECRET = 'from-the-shell'
    const { result } = load(
      { 'c.js': 'module.exports = { secret: process.env.DEVSETUP_TEST_SECRET, env: process.env.NODE_ENV }' },
      'c.js',
    )
    delete process.env.DEVSETUP_TEST_SECRET
    expect(value(result)).toEqual({ env: 'development' })
  })

  it('a config that writes a file is refused, and nothing is written', () => {
    const { repo, result } = load(
      { 'knexfile.js': "require('fs').writeFileSync(__dirname + '/owned', 'x'); module.exports = {}" },
      'knexfile.js',
    )
    expect(result.ok).toBe(false)
    if (!result.ok)
      expect(result.reason).toMatch(
        /knexfile\.js: loading it failed \(Error: Access to this API has been restricted\)/,
      )
    expect(existsSync(path.join(repo.root, 'owned'))).toBe(false)
  })

  it("node-config's settings (default, development, custom env vars with the example's values) serve require('config'); making a data folder is a no-op", () => {
    const { repo, result } = load(
      {
        'package.json': JSON.stringify({ dependencies: { config: '3', knex: '3' } }),
        'config/default.yml': 'db:\n  client: sqlite3\n  pool: 5\n',
        'config/development.json': JSON.stringify({ db: { pool: 2 } }),
        'config/custom-environment-variables.yml': 'db:\n  connection: DB_CONNECTION\n',
        '.env.example': 'DB_CONNECTION=postgres://app@localhost/app\n',
        'knexfile.js': `const config = require('config')
require('fs').mkdirSync('data')
module.exports = { client: config.get('db.client'), pool: config.db.pool, connection: config.has('db.connection') && config.get('db.connection') }
`,
      },
      'knexfile.js',
    )
    expect(value(result)).toEqual({ client: 'sqlite3', pool: 2, connection: 'postgres://app@localhost/app' })
    expect(existsSync(path.join(repo.root, 'data'))).toBe(false)
  })

  it('a config that opens a socket, or runs a command, is refused', () => {
    const socket = load(
      { 'c.js': "require('net').connect(5432, '127.0.0.1'); module.exports = { a: 1 }" },
      'c.js',
    ).result
    expect(socket.ok).toBe(false)
    if (!socket.ok) expect(socket.reason).toMatch(/network is not allowed/)
    const fetched = load({ 'c.mjs': "await fetch('http://127.0.0.1:1/'); export default { a: 1 }" }, 'c.mjs')
    expect(fetched.result.ok).toBe(false)
    const command = load(
      { 'c.js': "require('child_process').execSync('touch owned'); module.exports = {}" },
      'c.js',
    )
    expect(command.result.ok).toBe(false)
    expect(existsSync(path.join(command.repo.root, 'owned'))).toBe(false)
  })

  it('an endless loop is stopped at the timeout', () => {
    const started = Date.now()
    const { result } = load({ 'c.js': 'while (true) {}' }, 'c.js', 1000)
    expect(result).toEqual({
      ok: false,
      reason: 'c.js: loading it did not finish within 1 s: read statically',
    })
    expect(Date.now() - started).toBeLessThan(2500)
  })

  it('ESM, a function of the config, and JSON; TypeScript is left to static reading', () => {
    expect(
      value(
        load({ 'k.mjs': 'export default async () => ({ development: { client: "pg" } })' }, 'k.mjs').result,
      ),
    ).toEqual({ development: { client: 'pg' } })
    expect(value(load({ 'o.json': '{"type":"mysql"}' }, 'o.json').result)).toEqual({ type: 'mysql' })
    const ts = load({ 'knexfile.ts': 'export default {}' }, 'knexfile.ts').result
    expect(ts).toEqual({ ok: false, reason: 'knexfile.ts: not JavaScript or JSON: read statically' })
  })

  it('a path outside the repository is not named', () => {
    const repo = new RepoProbe(tempRepo({}))
    expect(repoPath(repo.root, '.', '/etc/passwd')).toBeUndefined()
    expect(repoPath(repo.root, 'server', './db.sqlite')).toBe('server/db.sqlite')
    expect(repoPath(repo.root, '.', path.join(realpathSync(repo.root), 'db', 'x'))).toBe('db/x')
  })
})

describe('a loaded knexfile in init', () => {
  it("a server connection from the example's keys and the knexfile's defaults, each value saying where it came from", () => {
    const root = tempRepo({
      'package.json': JSON.stringify({ dependencies: { knex: '3', pg: '8' } }),
      '.env.example': 'DB_USER=shop\nDB_NAME=shop_dev\n',
      'db/knexfile.js': [
        "const path = require('path')",
        'module.exports = { development: {',
        "  client: 'mysql2',",
        "  connection: { host: process.env.DB_HOST || '127.0.0.1', user: process.env.DB_USER, database: process.env.DB_NAME },",
        "  migrations: { directory: path.join(__dirname, 'migrations'), tableName: 'schema_history' },",
        '} }',
      ].join('\n'),
      'db/migrations/001_init.js': 'exports.up = () => {}; exports.down = () => {}',
    })
    const database = detect(root, { dockerRuns: () => false }).steps.find((s) => s.type === 'database')!
    expect(database.config).toMatchObject({
      engine: 'mysql',
      // DB_USER and DB_NAME from .env, where the knexfile reads them; the host is the knexfile's own default.
      url: 'mysql://${DB_USER}@127.0.0.1:3306/${DB_NAME}',
      migrations: 'db/migrations/**',
      migrations_table: 'schema_history',
    })
    expect(database.why).toContain(
      'db/knexfile.js, loaded (client mysql2; host 127.0.0.1; user shop from DB_USER in .env.example; ' +
        'database shop_dev from DB_NAME in .env.example; migrations db/migrations)',
    )
  })
})
