// `when_changed:` — a step that runs again when another step changed, here the app's own setup
// after its database was dropped and created again: a real SQLite file and a real PostgreSQL
// cluster, the built CLI.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { events, runCli, tempRepo } from '../helpers.js'
import { type PgCluster, startCluster } from './database/postgres-cluster.js'

// The app's setup: writes its config and the data it needs; fails while a file `broken` exists.
const setupStep = (refs: string) => `  - name: app setup
    id: setup
    run: test ! -e broken && echo setup >> calls.log && echo '{}' > config.json
    creates: config.json
    when_changed: [${refs}]
`

const calls = (repo: string) =>
  existsSync(path.join(repo, 'calls.log'))
    ? readFileSync(path.join(repo, 'calls.log'), 'utf8').trim().split('\n')
    : []

const endOf = (stdout: string, step: string) =>
  events(stdout).find((e) => e.event === 'step:end' && e.step === step) as { status: string; reason: string }

describe('when_changed with SQLite', () => {
  const recipe = `version: 1
steps:
  - database:
      engine: sqlite
      path: var/dev.sqlite3
      migrate: echo migrate >> calls.log; sqlite3 var/dev.sqlite3 'create table if not exists t (x)'
      migrations: db/migrations/**
${setupStep('database:created')}`

  it('re-runs the setup after the database was dropped and created again, not after a migration', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe, 'db/migrations/001.sql': 'create table t (x);' })
    const first = await runCli(['up', '--json'], { cwd: repo })
    expect(first.code, first.stdout).toBe(0)
    expect(calls(repo)).toEqual(['migrate', 'setup'])
    expect(endOf((await runCli(['up', '--json'], { cwd: repo })).stdout, 'setup').status).toBe('ok')

    // Someone drops the database: config.json is still there, but the data is gone.
    rmSync(path.join(repo, 'var/dev.sqlite3'))
    const again = await runCli(['up', '--json'], { cwd: repo })
    expect(again.code, again.stdout).toBe(0)
    expect(endOf(again.stdout, 'database')).toMatchObject({ status: 'changed' })
    const run = events(again.stdout).find((e) => e.event === 'step:run' && e.step === 'setup')
    expect(run).toMatchObject({ reason: 'database (created, migrated) changed (when_changed)' })
    expect(calls(repo)).toEqual(['migrate', 'setup', 'migrate', 'setup'])

    // A new migration changes the database, but it was not created: the setup is left alone.
    writeFileSync(path.join(repo, 'db/migrations/002.sql'), 'create table u (y);')
    const migrated = await runCli(['up', '--json'], { cwd: repo })
    expect(endOf(migrated.stdout, 'database')).toMatchObject({ status: 'changed', reason: 'migrated' })
    expect(endOf(migrated.stdout, 'setup')).toMatchObject({ status: 'ok' })
    expect(calls(repo).at(-1)).toBe('migrate')
  })

  it('keeps the re-run pending across a failed run; doctor does not call it ready meanwhile', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe, 'db/migrations/001.sql': 'create table t (x);' })
    expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
    rmSync(path.join(repo, 'var/dev.sqlite3'))
    writeFileSync(path.join(repo, 'broken'), '')
    const failed = await runCli(['up', '--json'], { cwd: repo })
    expect(failed.code).toBe(1)
    expect(endOf(failed.stdout, 'setup').status).toBe('failed')

    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain(
      'app setup — unmet: database (created, migrated) changed in an earlier run (when_changed)',
    )

    rmSync(path.join(repo, 'broken'))
    const fixed = await runCli(['up', '--json'], { cwd: repo })
    expect(fixed.code, fixed.stdout).toBe(0)
    expect(endOf(fixed.stdout, 'database').status).toBe('ok')
    expect(endOf(fixed.stdout, 'setup')).toMatchObject({ status: 'changed' })
    expect(calls(repo).filter((c) => c === 'setup')).toHaveLength(2)
    expect(endOf((await runCli(['up', '--json'], { cwd: repo })).stdout, 'setup').status).toBe('ok')
    expect((await runCli(['doctor'], { cwd: repo })).code).toBe(0)
  })

  it('doctor on a dropped database says the setup will run again once the database changes', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe, 'db/migrations/001.sql': 'create table t (x);' })
    expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
    rmSync(path.join(repo, 'var/dev.sqlite3'))
    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain(
      'app setup — unmet: runs again once database:created changes (when_changed)',
    )
  })
})

describe('when_changed with PostgreSQL', () => {
  let cluster: PgCluster
  beforeAll(async () => {
    cluster = await startCluster()
    await cluster.sql("CREATE ROLE app LOGIN CREATEDB PASSWORD 'app-pw'")
  })
  afterAll(() => cluster?.destroy())

  it('re-runs the setup after the database was dropped', async () => {
    const repo = tempRepo({
      'devsetup.yml': `version: 1\nsteps:\n  - database:\n      url: \${TEST_DATABASE_URL}\n${setupStep('database')}`,
    })
    const env = { TEST_DATABASE_URL: cluster.url('app', 'app-pw', 'wc_dev') }
    expect((await runCli(['up'], { cwd: repo, env })).code).toBe(0)
    const second = await runCli(['up', '--json'], { cwd: repo, env })
    expect(endOf(second.stdout, 'setup').status).toBe('ok')

    await cluster.sql('DROP DATABASE wc_dev')
    const again = await runCli(['up', '--json'], { cwd: repo, env })
    expect(again.code, again.stdout).toBe(0)
    expect(endOf(again.stdout, 'database').reason).toContain('created wc_dev')
    const run = events(again.stdout).find((e) => e.event === 'step:run' && e.step === 'setup')
    expect(run).toMatchObject({ reason: 'database (created) changed (when_changed)' })
    expect(calls(repo)).toEqual(['setup', 'setup'])
  })
})
