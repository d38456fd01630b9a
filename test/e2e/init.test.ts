// `devsetup init` against fixture repositories shaped like real ones (only the files detection
// reads), through the built CLI; every recipe it writes and every template must pass the real loader.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { NPX_COMMAND } from '../../src/package-name.js'
import { parseRecipe } from '../../src/recipe/load.js'
import { allSteps } from '../../src/recipe/types.js'
import { repoRoot, runCli, tempRepo } from '../helpers.js'

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'init')

function fixtureRepo(name: string): string {
  const dir = tempRepo()
  cpSync(path.join(fixtures, name), dir, { recursive: true })
  return dir
}

async function initAndValidate(name: string) {
  const dir = fixtureRepo(name)
  const init = await runCli(['init'], { cwd: dir })
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
    .map((line) => JSON.parse(line) as { id: string; type: string; title: string })
  return { dir, stdout: init.stdout, text, types: steps.map((s) => s.type), steps }
}

describe('devsetup init on real-shaped repositories', () => {
  it('Rails app: ruby, bundler, PostgreSQL from config/database.yml with rails migrate/seed, cleanup, restart', async () => {
    const { stdout, text, types } = await initAndValidate('rails')
    expect(stdout).toContain('Template: rails')
    expect(stdout).toMatch(/runtime:ruby\s+\.ruby-version/)
    expect(stdout).toMatch(/database\s+config\/database\.yml \(postgresql\)/)
    expect(types).toEqual(['packages', 'runtime', 'dependencies', 'database', 'cleanup', 'restart'])
    expect(text).toContain('url: postgres://localhost:5432/storefront_development')
    expect(text).toContain('migrate: bin/rails db:migrate')
    expect(text).toContain('seed: bin/rails db:seed')
    expect(text).toContain('touch: tmp/restart.txt')
    expect(text).toContain('brewfile: Brewfile')
    expect(text).toContain('paths: [log/*.log, tmp/cache]')
    // No .nvmrc in this app: the template's node runtime is left out, and says so.
    expect(text).not.toContain('runtime: node')
    expect(stdout).toContain('runtime:node: nothing in the repository calls for it')
  })

  it('Express + knex + Postgres API: DATABASE_URL from .env.example, the package scripts, and a dry run works', async () => {
    const { dir, text, types } = await initAndValidate('express-knex')
    expect(types).toEqual(['runtime', 'dotenv', 'dependencies', 'database', 'restart'])
    expect(text).toContain(
      'DATABASE_URL: ${DATABASE_URL:-postgres://orders:orders@localhost:5432/orders_dev}',
    )
    expect(text).toContain('url: ${DATABASE_URL}')
    expect(text).toContain('migrate: npm run migrate')
    expect(text).toContain('seed: npm run seed')
    expect(text).toContain('start: node server.js')
    expect(text).toContain('from: .env.example')
    const dry = await runCli(['up', '--dry-run'], { cwd: dir })
    expect(dry.stderr).toBe('')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/would run: never installed here/)
    expect(dry.stdout).toContain('dry run: nothing was changed')
  })

  it('Next.js + Prisma app: prisma migrate deploy / db seed, the Prisma client step, and a dry run works', async () => {
    const { dir, text, types, steps } = await initAndValidate('nextjs-prisma')
    expect(types).toEqual(['runtime', 'dotenv', 'dependencies', 'run', 'database'])
    expect(steps.find((s) => s.type === 'run')?.title).toBe('Prisma client')
    expect(text).toContain(
      'DATABASE_URL: ${DATABASE_URL:-postgresql://blog:blog@localhost:5432/blog_dev?schema=public}',
    )
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
    const { text, types } = await initAndValidate('django')
    expect(types).toEqual(['runtime', 'dotenv', 'dependencies', 'database'])
    expect(text).toContain('runtime: python')
    expect(text).toContain('url: postgres://mysite:mysite@localhost:5432/mysite')
    expect(text).toContain('start: docker compose up -d db')
    expect(text).toContain('migrate: .venv/bin/python manage.py migrate')
  })

  it('Go service: go from go.mod, golang-migrate, the compose database as the DATABASE_URL default', async () => {
    const { text, types } = await initAndValidate('go-service')
    expect(types).toEqual(['runtime', 'dotenv', 'dependencies', 'database'])
    expect(text).toContain('version: ">=1.22"')
    expect(text).toContain(
      'DATABASE_URL: ${DATABASE_URL:-postgres://payments:payments@localhost:54329/payments_dev}',
    )
    expect(text).toContain('migrate: migrate -path migrations -database "$DATABASE_URL" up')
  })
})

describe('devsetup init: files and flags', () => {
  it('points editors at the schema file it writes, and `schema --write` refreshes it', async () => {
    const dir = fixtureRepo('go-service')
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
    const dir = fixtureRepo('express-knex')
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
    const dir = fixtureRepo('django')
    const result = await runCli(['init', '--bin-setup'], { cwd: dir })
    expect(result.code).toBe(0)
    const setup = path.join(dir, 'bin', 'setup')
    expect(statSync(setup).mode & 0o111).toBe(0o111)
    const script = readFileSync(setup, 'utf8')
    expect(script.startsWith('#!/bin/sh\n')).toBe(true)
    expect(script.endsWith(`exec ${NPX_COMMAND} "$@"\n`)).toBe(true)
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
    const dir = fixtureRepo('express-knex')
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
    expect(init.stdout).toContain('DATABASE_URL in .env.example refers to other variables')
    const validate = await runCli(['validate'], { cwd: dir, env: { DATABASE_URL: '' } })
    expect(validate.stderr).toBe('')
    expect(validate.code).toBe(0)
  })

  it('leaves an existing devsetup.schema.json alone without --force, and says so', async () => {
    const dir = fixtureRepo('go-service')
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
