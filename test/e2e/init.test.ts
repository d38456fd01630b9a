// `devsetup init` against fixture repositories shaped like real ones (only the files detection
// reads), through the built CLI; every recipe it writes and every template must pass the real loader.
import {
  chmodSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { NPX_COMMAND } from '../../src/package-name.js'
import { parseRecipe } from '../../src/recipe/parse.js'
import { allSteps } from '../../src/recipe/types.js'
import { answers, cliPath, repoRoot, runCli, tempRepo } from '../helpers.js'
import { startCluster } from './database/postgres-cluster.js'

// init writes `service: postgres` whenever the app's database is on this machine (localhost:5432
// in these fixtures), whatever answers there now: the recipe must not follow the machine.
/** The step types with a `service` before `database`. */
const withPostgresService = (types: string[]) =>
  types.flatMap((t) => (t === 'database' ? ['service', t] : [t]))

const examples = path.join(repoRoot, 'examples', 'init')

function fixtureRepo(name: string): string {
  const dir = tempRepo()
  cpSync(path.join(examples, name), dir, { recursive: true })
  return dir
}

async function initAndValidate(name: string, env: Record<string, string> = {}) {
  return initIn(fixtureRepo(name), env)
}

/** init, then validate and list: every recipe init writes must load. */
async function initIn(dir: string, env: Record<string, string> = {}) {
  const init = await runCli(['init'], { cwd: dir, env })
  expect(init.stderr).toBe('')
  expect(init.code).toBe(0)
  const text = readFileSync(path.join(dir, 'devsetup.yml'), 'utf8')
  const validate = await runCli(['validate'], { cwd: dir })
  expect(validate.stderr).toBe('')
  expect(validate.code).toBe(0)
  const list = await runCli(['list', '--json'], { cwd: dir })
  const steps = list.stdout
    .trim()
    .split('\n')
    .filter(Boolean) // a recipe with no steps lists nothing
    .map((line) => JSON.parse(line) as { id: string; type: string; title: string })
  return { dir, stdout: init.stdout, text, types: steps.map((s) => s.type), steps }
}

/** A `docker` on PATH and DOCKER_HOST (init writes `docker compose up` only where an engine runs); never run. */
function fakeDocker(): string {
  const bin = tempRepo({ docker: '#!/bin/sh\nexit 1\n' })
  chmodSync(path.join(bin, 'docker'), 0o755)
  return bin
}

describe('devsetup init on real-shaped repositories', () => {
  it('Rails app: ruby, bundler, PostgreSQL from config/database.yml with rails migrate/seed, cleanup, restart', async () => {
    const { stdout, text, types } = await initAndValidate('rails/storefront')
    expect(stdout).toContain('Template: rails')
    expect(stdout).toMatch(/runtime:ruby\s+\.ruby-version/)
    expect(stdout).toMatch(/database\s+config\/database\.yml \(postgresql\)/)
    // Redis too: its config/cable.yml uses the redis adapter in development.
    expect(types).toEqual(
      withPostgresService([
        'packages',
        'runtime',
        'dependencies',
        'service',
        'database',
        'cleanup',
        'restart',
      ]),
    )
    expect(text).toContain('service: redis')
    // Every step (the server too) gets DATABASE_URL, which Rails merges over database.yml.
    expect(text).toContain('DATABASE_URL: ${DATABASE_URL:-postgres://localhost:5432/storefront_development}')
    expect(text).toContain('url: ${DATABASE_URL}')
    expect(text).toContain('apt: [libpq-dev]')
    // No db/schema.rb in this app: nothing to load, every migration runs.
    expect(text).not.toContain('load:')
    expect(text).toContain('migrate: bin/rails db:migrate')
    expect(text).toContain('seed: bin/rails db:seed')
    // Rails reads PORT: `PORT=4000 devsetup up` moves the server and its health check together.
    expect(text).toContain('start: bin/rails server -b 127.0.0.1 -p ${PORT:-3000}')
    expect(text).toContain('health: http://127.0.0.1:${PORT:-3000}/')
    expect(text).toContain('brewfile: Brewfile')
    expect(text).toContain('paths: [log/*.log, tmp/cache]')
    // No .nvmrc in this app: the template's node runtime is left out, and says so.
    expect(text).not.toContain('runtime: node')
    expect(stdout).toContain('runtime:node: nothing in the repository calls for it')
  })

  it('Express + knex + Postgres API: DATABASE_URL from .env.example, the package scripts, and a dry run works', async () => {
    const { dir, text, types } = await initAndValidate('knex/orders-api')
    expect(types).toEqual(withPostgresService(['runtime', 'dotenv', 'dependencies', 'database', 'restart']))
    // The app reads DATABASE_URL from .env: the steps read it there too, no literal default beside it
    // (nor the template's) to shadow an edit of .env.
    expect(text).not.toMatch(/^env:/m)
    expect(text).toContain('url: ${DATABASE_URL}')
    expect(text).toContain('migrate: npm run migrate')
    expect(text).toContain('seed: npm run seed')
    // The package's start script, on .env.example's PORT, which the shell's PORT overrides.
    expect(text).toContain('start: npm start')
    expect(text).toContain('health: http://127.0.0.1:${PORT:-3000}/')
    expect(text).toContain('from: .env.example')
    const dry = await runCli(['up', '--dry-run'], { cwd: dir })
    expect(dry.stderr).toBe('')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/would run: never installed here/)
    expect(dry.stdout).toContain('dry run: nothing was changed')
  })

  it('Next.js + Prisma app: prisma migrate deploy / db seed, the Prisma client step, and a dry run works', async () => {
    const { dir, text, types, steps } = await initAndValidate('prisma/blog')
    // The service (when one is written) comes before the template's Prisma client step.
    expect(types).toEqual(['runtime', 'dotenv', 'dependencies', 'service', 'run', 'database', 'restart'])
    expect(steps.find((s) => s.type === 'run')?.title).toBe('Prisma client')
    expect(text).not.toMatch(/^env:/m)
    expect(text).toContain('url: ${DATABASE_URL}')
    expect(text).toContain('migrate: npx prisma migrate deploy')
    expect(text).toContain('seed: npx prisma db seed')
    const dry = await runCli(['up', '--dry-run', '--json'], { cwd: dir })
    expect(dry.code).toBe(0)
    const summary = dry.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.event === 'summary')
    expect(summary).toBeDefined()
  })

  it('Django app: python, pip into .venv, DATABASES from settings.py, docker compose to start it', async () => {
    const { text, types } = await initAndValidate('django/mysite', {
      PATH: `${fakeDocker()}:${process.env.PATH}`,
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    })
    expect(types).toEqual(withPostgresService(['runtime', 'dotenv', 'dependencies', 'database', 'restart']))
    expect(text).toContain('start: .venv/bin/python manage.py runserver 127.0.0.1:8000')
    expect(text).toContain('runtime: python')
    expect(text).toContain('url: postgres://mysite:mysite@localhost:5432/mysite')
    // The service runs compose itself (when Docker runs) or local binaries, serving the
    // database step's own URL (its port, role and password), not a port of its own.
    expect(text).not.toContain('start: docker compose up -d db')
    expect(text).toMatch(
      /- service:\n +engine: postgres\n +url: postgres:\/\/mysite:mysite@localhost:5432\/mysite/,
    )
    expect(text).toContain('migrate: .venv/bin/python manage.py migrate')
  })

  it('Go service: go from go.mod, golang-migrate, the compose database as the DATABASE_URL default, go run on its health route', async () => {
    const { text, types } = await initAndValidate('golang-migrate/payments')
    expect(types).toEqual(withPostgresService(['runtime', 'dotenv', 'dependencies', 'database', 'restart']))
    expect(text).toContain('start: go run ./cmd/api')
    expect(text).toContain('health: http://127.0.0.1:8080/healthz')
    expect(text).toContain('version: ">=1.22"')
    expect(text).toContain(
      'DATABASE_URL: ${DATABASE_URL:-postgres://payments:payments@localhost:54329/payments_dev}',
    )
    expect(text).toContain('migrate: migrate -path migrations -database "$DATABASE_URL" up')
  })
})

describe('devsetup init: files and flags', () => {
  it('points editors at the schema file it writes, and `schema --write` refreshes it', async () => {
    const dir = fixtureRepo('golang-migrate/payments')
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0)
    const text = readFileSync(path.join(dir, 'devsetup.yml'), 'utf8')
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./devsetup.schema.json')
    const schemaFile = path.join(dir, 'devsetup.schema.json')
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'))
    expect(schema.title).toBe('devsetup recipe (devsetup.yml)')
    writeFileSync(schemaFile, '{}')
    const write = await runCli(['schema', '--write'], { cwd: path.join(dir, 'cmd') })
    expect(write.code).toBe(0)
    expect(JSON.parse(readFileSync(schemaFile, 'utf8')).title).toBe('devsetup recipe (devsetup.yml)')
  })

  it('refuses to overwrite a recipe without --force (exit 2, file untouched), replaces it with --force', async () => {
    const dir = fixtureRepo('knex/orders-api')
    writeFileSync(path.join(dir, 'devsetup.yml'), '# mine\nversion: 1\nsteps: []\n')
    const refused = await runCli(['init'], { cwd: dir })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('devsetup.yml already exists')
    expect(refused.stderr).toContain('--force')
    expect(readFileSync(path.join(dir, 'devsetup.yml'), 'utf8')).toBe('# mine\nversion: 1\nsteps: []\n')
    const forced = await runCli(['init', '--force'], { cwd: dir })
    expect(forced.code).toBe(0)
    expect(readFileSync(path.join(dir, 'devsetup.yml'), 'utf8')).toContain('runtime: node')
  })

  it('--bin-setup writes an executable bin/setup that runs devsetup', async () => {
    const dir = fixtureRepo('django/mysite')
    const result = await runCli(['init', '--bin-setup'], { cwd: dir })
    expect(result.code).toBe(0)
    const setup = path.join(dir, 'bin', 'setup')
    expect(statSync(setup).mode & 0o111).toBe(0o111)
    const script = readFileSync(setup, 'utf8')
    expect(script.startsWith('#!/bin/sh\n')).toBe(true)
    expect(script.endsWith(`exec ${NPX_COMMAND} "$@"\n`)).toBe(true)
  })

  it('--bin-setup where the recipe already exists writes only bin/setup, keeping the recipe', async () => {
    const recipe = 'version: 1\n# edited by hand\nsteps: []\n'
    const dir = tempRepo({ 'devsetup.yml': recipe })
    const result = await runCli(['init', '--bin-setup'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('wrote bin/setup; devsetup.yml already exists and is kept')
    expect(readFileSync(path.join(dir, 'devsetup.yml'), 'utf8')).toBe(recipe)
    expect(statSync(path.join(dir, 'bin', 'setup')).mode & 0o111).toBe(0o111)
  })

  it("the Next: line and the recipe's header name the command that runs this devsetup", async () => {
    // `devsetup` on PATH is this build (a global install, `npm link` in a clone).
    const bin = tempRepo({}, { git: false })
    symlinkSync(cliPath, path.join(bin, 'devsetup'))
    const onPath = tempRepo()
    const linked = await runCli(['init', '--template', 'rails'], {
      cwd: onPath,
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    })
    expect(linked.code, linked.stderr).toBe(0)
    expect(linked.stdout).toContain('then run `devsetup doctor` (checks only) or `devsetup`;')
    const header = readFileSync(path.join(onPath, 'devsetup.yml'), 'utf8')
    expect(header).toContain('# `devsetup` brings this repository to a working development environment')
    expect(header).not.toContain('npx')
    // Not on PATH: run by its path, as from a clone; the hint is that path, never an npx that 404s.
    const byPath = tempRepo()
    const cloned = await runCli(['init', '--template', 'rails'], { cwd: byPath })
    expect(cloned.code, cloned.stderr).toBe(0)
    expect(cloned.stdout).toContain(`then run \`node ${cliPath} doctor\` (checks only)`)
    expect(readFileSync(path.join(byPath, 'devsetup.yml'), 'utf8')).toContain(
      `# \`node ${cliPath} doctor\` only checks.`,
    )
  })

  it('--list-templates lists every template in recipes/ with its description', async () => {
    const result = await runCli(['init', '--list-templates'], { cwd: tempRepo() })
    expect(result.code).toBe(0)
    const names = readdirSync(path.join(repoRoot, 'recipes')).map((f) => f.replace(/\.yml$/, ''))
    for (const name of names) expect(result.stdout).toMatch(new RegExp(`^${name}\\s+\\S`, 'm'))
  })

  it('--template picks a template and keeps its steps even where nothing was detected', async () => {
    const dir = tempRepo()
    const result = await runCli(['init', '--template', 'rails'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Template: rails (as asked)')
    const text = readFileSync(path.join(dir, 'devsetup.yml'), 'utf8')
    expect(text).toContain('migrate: bin/rails db:migrate')
    expect(text).toContain('runtime: ruby')
    expect((await runCli(['validate'], { cwd: dir })).code).toBe(0)
  })

  it('an unknown template is a usage error with a suggestion', async () => {
    const result = await runCli(['init', '--template', 'rals'], { cwd: tempRepo() })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown template `rals`')
    expect(result.stderr).toContain('did you mean `rails`?')
  })

  it('a repository with nothing recognisable gets a valid recipe with no steps', async () => {
    const dir = tempRepo({ 'README.md': '# hello\n' })
    const result = await runCli(['init'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('nothing recognisable')
    expect(existsSync(path.join(dir, 'devsetup.yml'))).toBe(true)
    expect((await runCli(['validate'], { cwd: dir })).code).toBe(0)
  })
})

describe('devsetup init, edge cases', () => {
  it('a DATABASE_URL in .env.example that refers to other variables is not used as a VAR default', async () => {
    const dir = fixtureRepo('knex/orders-api')
    writeFileSync(
      path.join(dir, '.env.example'),
      'PORT=3000\nDATABASE_URL=postgres://app:${DB_PASSWORD}@localhost:5432/app_dev\n',
    )
    const init = await runCli(['init'], { cwd: dir })
    expect(init.stderr).toBe('')
    expect(init.code).toBe(0)
    const name = path.basename(dir).replace(/[^A-Za-z0-9_]/g, '_')
    const text = readFileSync(path.join(dir, 'devsetup.yml'), 'utf8')
    expect(text).toContain(`DATABASE_URL: \${DATABASE_URL:-postgres://localhost:5432/${name}_development}`)
    expect(init.stdout).toContain(
      'refers to other variables (postgres://app:${DB_PASSWORD}@localhost:5432/app_dev)',
    )
    const validate = await runCli(['validate'], { cwd: dir, env: { DATABASE_URL: '' } })
    expect(validate.stderr).toBe('')
    expect(validate.code).toBe(0)
  })

  it('writes the service steps while servers answer on the URL ports: the committed recipe does not follow this machine', async () => {
    const cluster = await startCluster()
    const redisLike = createServer((socket) => socket.end())
    await new Promise<void>((r) => redisLike.listen(0, '127.0.0.1', r))
    const redisPort = (redisLike.address() as { port: number }).port
    try {
      expect(await answers(`127.0.0.1:${cluster.port}`)).toBe(true)
      expect(await answers(`127.0.0.1:${redisPort}`)).toBe(true)
      const dir = fixtureRepo('knex/orders-api')
      writeFileSync(
        path.join(dir, '.env.example'),
        `PORT=3000\nDATABASE_URL=postgres://orders:orders@localhost:${cluster.port}/orders_dev\nREDIS_URL=redis://localhost:${redisPort}/0\n`,
      )
      // REDIS_URL is use only when the app reads it.
      writeFileSync(path.join(dir, 'cache.js'), 'module.exports = { url: process.env.REDIS_URL }\n')
      const { text, types, stdout } = await initIn(dir)
      expect(types.filter((t) => t === 'service')).toHaveLength(2)
      expect(text).toContain(
        `# the database step needs PostgreSQL on 127.0.0.1:${cluster.port} (one already there is used if it takes the URL's credentials)\n      - service:\n          engine: postgres\n          url: \${DATABASE_URL}`,
      )
      expect(text).toContain(`Redis on 127.0.0.1:${redisPort} (one already there`)
      expect(stdout).not.toContain('answers on')
    } finally {
      redisLike.close()
      cluster.destroy()
    }
  }, 60_000)

  it('leaves an existing devsetup.schema.json alone without --force, and says so', async () => {
    const dir = fixtureRepo('golang-migrate/payments')
    const schemaFile = path.join(dir, 'devsetup.schema.json')
    writeFileSync(schemaFile, '{"mine": true}\n')
    const init = await runCli(['init'], { cwd: dir })
    expect(init.code).toBe(0)
    expect(readFileSync(schemaFile, 'utf8')).toBe('{"mine": true}\n')
    expect(init.stdout).toContain('devsetup.schema.json already exists: left as it is')
    rmSync(path.join(dir, 'devsetup.yml'))
    expect((await runCli(['init', '--force'], { cwd: dir })).code).toBe(0)
    expect(JSON.parse(readFileSync(schemaFile, 'utf8')).title).toBe('devsetup recipe (devsetup.yml)')
  })
})

describe('the templates in recipes/', () => {
  const dir = path.join(repoRoot, 'recipes')
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml'))

  it('include rails, node-express-knex, nextjs-prisma, django and go-service', () => {
    for (const name of ['rails', 'node-express-knex', 'nextjs-prisma', 'django', 'go-service'])
      expect(files).toContain(`${name}.yml`)
  })

  it.each(files)('%s is a valid, commented recipe', (file) => {
    const text = readFileSync(path.join(dir, file), 'utf8')
    const recipe = parseRecipe(path.join(dir, file), text, {})
    expect(allSteps(recipe).length).toBeGreaterThan(2)
    expect(text).toMatch(/^# devsetup\.yml — from the [\w-]+ template: .+/)
    // Every step has a comment above it saying what it does.
    const stepLines = text.split('\n').filter((line) => /^ {2}- /.test(line))
    const commented = text
      .split('\n')
      .filter((line, i, all) => /^ {2}- /.test(line) && /^\s*#/.test(all[i - 1]!))
    expect(commented.length).toBe(stepLines.length)
  })
})

// Fixtures shaped after what the real apps in docs/acceptance.md have (their shapes, not their code).
describe('devsetup init reads the configs for what they say (issue 10)', () => {
  // No docker on PATH: these apps' compose files must not add a `docker compose` start.
  const initFiles = (files: Record<string, string>) =>
    initIn(tempRepo(files), { PATH: '/usr/bin:/bin', DOCKER_HOST: '' })
  const pkg = (scripts: Record<string, string>, deps: Record<string, string> = {}) =>
    JSON.stringify({ name: 'app', scripts, dependencies: deps })

  it('NestJS + TypeORM: the env example the setup guide copies, split DATABASE_* vars, its own scripts, start:dev on APP_PORT', async () => {
    const example = (host: string) =>
      `APP_PORT=3001\nDATABASE_TYPE=postgres\nDATABASE_HOST=${host}\nDATABASE_PORT=5432\nDATABASE_USERNAME=root\nDATABASE_PASSWORD=secret\nDATABASE_NAME=api\nDATABASE_URL=\n`
    const { text, stdout } = await initFiles({
      'package.json': pkg(
        {
          'migration:run': 'npm run typeorm -- migration:run',
          'seed:run:document': 'ts-node seeds/document.ts',
          'seed:run:relational': 'ts-node seeds/relational.ts',
          start: 'nest start',
          'start:dev': 'nest start --watch',
          'start:prod': 'node dist/main',
          build: 'nest build',
        },
        { '@nestjs/core': '11', typeorm: '0.3', pg: '8' },
      ),
      'package-lock.json': '{}',
      'env-example-document': 'APP_PORT=3001\nDATABASE_URL=mongodb://mongo:27017/api\n',
      'env-example-relational': example('postgres'),
      'docs/installing-and-running.md': 'Copy the example:\n\n    cp env-example-relational .env\n',
      'src/database/migrations/1715028537217-CreateUser.ts': 'export class CreateUser {}\n',
    })
    expect(stdout).toContain('env-example-relational, named in docs/installing-and-running.md')
    expect(text).toContain('from: env-example-relational')
    expect(text).toMatch(/set:\n\s+DATABASE_HOST: 127\.0\.0\.1/)
    // Each part from the key the app reads in .env; the compose host's key gets 127.0.0.1 through set:.
    expect(text).toContain(
      'url: postgres://${DATABASE_USERNAME}:${DATABASE_PASSWORD}@${DATABASE_HOST}:${DATABASE_PORT}/${DATABASE_NAME}',
    )
    expect(text).toContain('migrate: npm run migration:run')
    expect(text).toContain('migrations: src/database/migrations/**')
    expect(text).toContain('seed: npm run seed:run:relational')
    expect(text).toContain('start: npm run start:dev')
    expect(text).toContain('health: http://127.0.0.1:${APP_PORT:-3001}/')
    expect(text).not.toContain('DATABASE_URL')
    expect(text).not.toContain('run: npm run build') // start:dev needs no build
  })

  it('knexfile in src/ whose client comes from the env: engine from the example, its folders, --knexfile', async () => {
    const { text } = await initFiles({
      'package.json': pkg({ dev: 'nodemon src/main.js' }, { express: '4', knex: '3', pg: '8' }),
      '.env.sample':
        'APP_PORT=2001\nDB_DRIVER=pg\nDB_HOST=localhost\nDB_PORT=5432\nDB_USER=\nDB_PASS=\nDB_NAME=shop\n',
      'src/knexfile.js': `const path = require('path')
module.exports = {
  [process.env.APP_ENV]: {
    client: process?.env?.DB_DRIVER,
    migrations: { tableName: 'migrations', directory: path.join(__dirname, 'repository/postgres/migrations') },
    seeds: { directory: path.join(__dirname, 'repository/postgres/seeders') },
  },
}
`,
      'src/repository/postgres/migrations/1-init.js': 'exports.up = async () => {}\n',
      'src/repository/postgres/seeders/seed-todo.js': 'exports.seed = async () => {}\n',
    })
    // DB_USER and DB_PASS are empty in the example: left out, as the literal URL leaves them out.
    expect(text).toContain('url: postgres://${DB_HOST}:${DB_PORT}/${DB_NAME}')
    expect(text).toContain('migrate: npx knex migrate:latest --knexfile src/knexfile.js')
    expect(text).toContain('migrations: src/repository/postgres/migrations/**')
    expect(text).toContain('seed: npx knex seed:run --knexfile src/knexfile.js')
    expect(text).toContain('health: http://127.0.0.1:${APP_PORT:-2001}/')
    expect(text).not.toContain('DATABASE_URL') // the app reads DB_*, not DATABASE_URL
  })

  it('SQLite knexfile: its real filename and migrations folder, and no seed without seeds', async () => {
    const { text } = await initFiles({
      'package.json': pkg({ start: 'node server/index.js' }, { express: '4', knex: '3', sqlite3: '5' }),
      'knexfile.js': `module.exports = {
  development: {
    client: 'sqlite3',
    connection: { filename: './database.sqlite' },
    migrations: { directory: './server/migrations' },
    useNullAsDefault: true,
  },
}
`,
      'server/migrations/20240101_init.js': 'exports.up = async () => {}\n',
    })
    expect(text).toContain('path: database.sqlite')
    expect(text).toContain('migrations: server/migrations/**')
    expect(text).not.toContain('seed:')
    expect(text).not.toContain('db/development.sqlite3')
  })

  it('a commented-out block is not read; a placeholder URL variable gets this machine URL through set:, the port from the source', async () => {
    const { text, stdout } = await initFiles({
      'package.json': pkg(
        { dev: 'nodemon src/index.js', start: 'node src/index.js' },
        { express: '4', knex: '1', pg: '8' },
      ),
      'package-lock.json': '{}',
      '.env.sample':
        'PORT=\nDATABASE_URL=<LINK TO HEROKU POSTGRESQL INSTANCE>\nDEV_DATABASE_URL=<LINK TO LOCAL POSTGRESQL INSTANCE>\n',
      'knexfile.js': `module.exports = {
  // development: {
  //   client: "sqlite3",
  //   connection: { filename: "./src/db/lessons.sb3" },
  // },
  development: {
    client: "pg",
    connection: { connectionString: process.env.DEV_DATABASE_URL },
    pool: { min: 2, max: 10 },
    migrations: { directory: path.join(__dirname, "src", "db", "migrations") },
  },
}
`,
      'src/index.js': 'const PORT = process.env.PORT || 5000\n',
    })
    const name = /DEV_DATABASE_URL: (postgres:\/\/localhost:5432\/\w+_development)/.exec(text)?.[1]
    expect(name).toBeDefined()
    // The app reads DEV_DATABASE_URL from .env, which the set: fills: the step reads it there too.
    expect(text).toContain('url: ${DEV_DATABASE_URL}')
    expect(text).toContain('migrations: src/db/migrations/**')
    expect(text).not.toContain('sqlite')
    expect(text).toContain('health: http://127.0.0.1:${PORT:-5000}/')
    expect(stdout).toContain('DEV_DATABASE_URL in .env.sample has no URL: the new .env gets')
  })

  it('finds env example files by any common name', async () => {
    for (const name of [
      '.env.local.example',
      '.example.env',
      '.env.development.sample',
      'env-example',
      'example.env',
    ]) {
      const { text } = await initFiles({ [name]: 'A=1\n' })
      expect(text, name).toContain(`from: ${name}`)
    }
    // Not examples: a real env file, direnv's, code.
    const none = await initFiles({ '.env.test': 'A=1\n', '.envrc': 'dotenv\n', 'env.d.ts': 'export {}\n' })
    expect(none.text).not.toContain('dotenv')
  })

  it('Sequelize: its CLI with .sequelizerc paths; seed only with seeders', async () => {
    const { text } = await initFiles({
      'package.json': pkg(
        { dev: 'nodemon app.js' },
        { express: '4', sequelize: '6', 'sequelize-cli': '6', pg: '8' },
      ),
      '.env.example': 'PORT=4000\nDATABASE_URL=postgres://app:app@localhost:5432/app_dev\n',
      '.sequelizerc':
        "const path = require('path')\nmodule.exports = { 'migrations-path': path.resolve('db', 'migrations'), 'seeders-path': path.resolve('db', 'seeders') }\n",
      'db/migrations/1-init.js': 'module.exports = {}\n',
    })
    expect(text).toContain('migrate: npx sequelize-cli db:migrate')
    expect(text).toContain('migrations: db/migrations/**')
    expect(text).not.toContain('seed:')
    expect(text).toContain('health: http://127.0.0.1:${PORT:-4000}/')
  })

  it('a start that serves the build gets a build step first, a no-op on re-run; the app setup command runs', async () => {
    const { text } = await initFiles({
      'package.json': pkg(
        { setup: 'node scripts/setup.js', build: 'tsc', start: 'node dist/server.js' },
        { express: '4' },
      ),
      'package-lock.json': '{}',
      'src/server.ts': 'export {}\n',
    })
    expect(text).toMatch(
      /- name: App setup\n\s+run: npm run setup\n\s+inputs: \[package\.json, package-lock\.json\]/,
    )
    expect(text).toMatch(
      /- name: Build\n\s+run: npm run build\n\s+creates: dist\n\s+inputs: \[src\/\*\*, package\.json, package-lock\.json, "!\*\*\/\*\.{test,spec}\.\*", "!\*\*\/{__tests__,__mocks__}\/\*\*"\]/,
    )
    expect(text.indexOf('name: Build')).toBeLessThan(text.indexOf('restart:'))
    expect(text).toContain('start: npm start')
  })

  it('Rails: database.yml ERB defaults; Django: the NAME of DATABASES, not of AUTH_PASSWORD_VALIDATORS', async () => {
    const rails = await initFiles({
      'config/application.rb': 'module Ledger; end\n',
      'config/database.yml': `default: &default
  adapter: postgresql
  host: <%= ENV.fetch("DB_HOST") { "127.0.0.1" } %>
  port: <%= ENV.fetch("DB_PORT") { "5432" } %>
development:
  <<: *default
  database: <%= ENV.fetch("POSTGRES_DB") { "ledger_development" } %>
`,
    })
    expect(rails.text).toContain('postgres://127.0.0.1:5432/ledger_development')
    const django = await initFiles({
      'manage.py': '',
      'shop/settings/base.py': `AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(
            BASE_DIR, os.environ.get("DATABASE_NAME", "shopdb")
        ),
    }
}
`,
    })
    expect(django.text).toContain('path: shopdb')
  })

  it('the app setup command is left out when it resets data or only repeats the other steps', async () => {
    const resets = await initFiles({
      'package.json': pkg(
        { setup: 'npm install && prisma migrate reset --force', dev: 'next dev' },
        { next: '15' },
      ),
    })
    expect(resets.text).not.toContain('App setup')
    expect(resets.stdout).toContain('resets or re-seeds data: not written')
    const repeats = await initFiles({
      'package.json': pkg({
        setup: 'npm install && npm run db:migrate && npm run db:seed',
        dev: 'node app.js',
      }),
    })
    expect(repeats.text).not.toContain('App setup')
    expect(repeats.stdout).toContain('is what the steps above already do: not written')
  })

  it('shows a URL built from variables readably, resolved from the example', async () => {
    const { text, stdout } = await initFiles({
      'package.json': pkg({ dev: 'node app.js' }, { pg: '8' }),
      '.env.example':
        'DB_USER=shop\nDB_PASSWORD=pw\nDB_HOST=db\nDATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/shop\n',
    })
    expect(stdout + text).not.toContain('%24')
    expect(text).toContain('postgres://shop:pw@127.0.0.1:5432/shop')
  })
})
