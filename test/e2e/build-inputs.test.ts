// init's Build step reads only what the build reads: an app in outline's shape, whose server build
// compiles `.ts` files (`--extensions .ts,.tsx`, tests ignored) while its `.js` migrations are read
// by the migrate command alone. Real processes: the built CLI, node for the build, the sqlite3
// command for a migrate in knex's shape. A new migration runs the database step only; a source
// edit runs the build; a new test file runs nothing.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { events, runCli, tempRepo, writeFiles } from '../helpers.js'

// A compiler's CLI in swc's shape: copies the folder's files with the given extensions, less the ignored.
const compile = `const { appendFileSync, cpSync } = require('node:fs')
const [from, , to, , extensions, , ignore] = process.argv.slice(2)
const exts = extensions.split(',')
const ignored = new RegExp(ignore.replace('**/*', '').replace(/\\./g, '\\\\.') + '$')
cpSync(from, to, { recursive: true, filter: (f) => !/\\.\\w+$/.test(f) || (exts.some((e) => f.endsWith(e)) && !ignored.test(f)) })
appendFileSync('builds.log', 'built\\n')
`
// The migrate in knex's shape: each file of server/migrations exports its SQL; knex_migrations records it.
const migrate = `const { execFileSync } = require('node:child_process')
const { readdirSync } = require('node:fs')
const db = 'var/dev.sqlite3'
const sql = (q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim()
sql('CREATE TABLE IF NOT EXISTS knex_migrations (id integer primary key, name varchar(255), batch integer, migration_time datetime)')
for (const f of readdirSync('server/migrations').sort()) {
  if (sql("SELECT count(*) FROM knex_migrations WHERE name = '" + f + "'") !== '0') continue
  sql(require('./server/migrations/' + f))
  sql("INSERT INTO knex_migrations (name, batch) VALUES ('" + f + "', 1)")
}
`

function app() {
  return tempRepo({
    'package.json': JSON.stringify({
      name: 'docs-app',
      private: true,
      scripts: {
        'build:server':
          'node ./compile.js ./server -d ./build/server --extensions .ts,.tsx --ignore "**/*.test.ts"',
        dev: 'node build/server/index.ts',
        'db:migrate': 'node ./migrate.js',
      },
    }),
    '.gitignore': 'node_modules\nbuild\nvar\nbuilds.log\n',
    'compile.js': compile,
    'migrate.js': migrate,
    '.env.example': 'DATABASE_URL=sqlite:var/dev.sqlite3\n',
    'server/index.ts': "console.log('server')\n",
    'server/scripts/table.ts': "module.exports = 'docs'\n",
    // As outline's backfills: a migration runs code of the built server.
    'server/migrations/20240101000000-create-docs.js':
      "const table = require(require('node:path').join(process.cwd(), 'build', 'server/scripts/table.ts'))\nmodule.exports = 'CREATE TABLE ' + table + ' (id integer)'\n",
  })
}

const statuses = (stdout: string) =>
  Object.fromEntries(
    events(stdout)
      .filter((e) => e.event === 'step:end')
      .map((e) => [e.step as string, e.status as string]),
  )
const builds = (dir: string) => readFileSync(path.join(dir, 'builds.log'), 'utf8').trim().split('\n').length

describe("init's Build step: inputs are what the build reads", () => {
  it('a new migration runs the database step only, a source edit runs the build, a new test nothing', async () => {
    const dir = app()
    const init = await runCli(['init'], { cwd: dir })
    expect(init.code, init.stderr).toBe(0)
    const written = parse(readFileSync(path.join(dir, 'devsetup.yml'), 'utf8')) as { steps: unknown[] }
    const build = written.steps.find((s) => (s as { name?: string }).name === 'Build') as {
      run: string
      inputs: string[]
    }
    const inputs = build?.inputs ?? []
    expect(inputs).toContain('server/**/*.{ts,tsx}')
    expect(inputs).not.toContain('server/**')
    // The build as init wrote it, before a database step whose migrate needs nothing built here.
    writeFiles(dir, {
      'devsetup.yml': `version: 1
steps:
  - name: Build
    run: ${build.run}
    creates: build/server
    inputs: ${JSON.stringify(inputs)}
  - database:
      engine: sqlite
      path: var/dev.sqlite3
      migrate: node ./migrate.js
      migrations: server/migrations/**
`,
    })
    const first = await runCli(['up', '--json'], { cwd: dir })
    expect(first.code, first.stdout).toBe(0)
    expect(statuses(first.stdout)).toMatchObject({ build: 'changed', database: 'changed' })
    expect(builds(dir)).toBe(1)

    writeFiles(dir, {
      'server/migrations/20240201000000-add-title.js': "module.exports = 'ALTER TABLE docs ADD title text'\n",
    })
    const migration = await runCli(['up', '--json'], { cwd: dir })
    expect(migration.code, migration.stdout).toBe(0)
    expect(statuses(migration.stdout)).toMatchObject({ build: 'ok', database: 'changed' })
    expect(builds(dir)).toBe(1)

    writeFiles(dir, { 'server/index.test.ts': "console.log('a test')\n" })
    const test = await runCli(['up', '--json'], { cwd: dir })
    expect(statuses(test.stdout)).toMatchObject({ build: 'ok', database: 'ok' })

    writeFiles(dir, { 'server/index.ts': "console.log('server, edited')\n" })
    const edit = await runCli(['up', '--json'], { cwd: dir })
    expect(edit.code, edit.stdout).toBe(0)
    expect(statuses(edit.stdout)).toMatchObject({ build: 'changed', database: 'ok' })
    expect(builds(dir)).toBe(2)
    expect(readFileSync(path.join(dir, 'build/server/index.ts'), 'utf8')).toContain('edited')
  })
})
