// A table dropped while the app runs, in an app whose boot does not make it again (pawelmalak/flame:
// Sequelize + umzug, whose record says the migration that made it is applied). The `up` that finds
// it gone restarts the app for nothing: that same `up` must fail at its end, naming the table, in
// the plain lines, the failure report, --json and the terminal's tree, and record a failed run —
// not end green while the app answers 500 (the next doctor was red, only this `up` lied). Real
// PostgreSQL, a real app server, the built CLI. An app that does make it again at boot: `up` exits
// 0 (database-lost-tables.test.ts).
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { events, ptyOutput, runCli, stateDirOf } from '../helpers.js'
import { appRepo, appServer } from './database/boot-app.js'
import { freePort, type PgCluster, startCluster, superPassword } from './database/postgres-cluster.js'

// umzug's shape: each migration runs once, recorded in "SequelizeMeta"; a table dropped later is
// not made again at boot, since the record says its migration is applied.
const migratingServer = appServer(
  `await c.query('CREATE TABLE IF NOT EXISTS "SequelizeMeta" (name text PRIMARY KEY)')
  const { rows } = await c.query('SELECT name FROM "SequelizeMeta"')
  if (!rows.some((r) => r.name === '01_apps')) {
    await c.query('CREATE TABLE apps (id serial PRIMARY KEY, name text)')
    await c.query("INSERT INTO \\"SequelizeMeta\\" VALUES ('01_apps')")
  }`,
  'apps',
)

const apps = async (port: number) => (await fetch(`http://127.0.0.1:${port}/api/apps`)).status

describe('database: a lost table the restart does not bring back fails that same up', () => {
  let cluster: PgCluster
  beforeAll(async () => {
    cluster = await startCluster()
  })
  afterAll(() => cluster?.destroy())

  it('exits 1 naming the table (plain, report, --json, tree), records a failed run; restored, up is green again', async () => {
    const port = await freePort()
    const repo = appRepo(migratingServer, port)
    const e = { TEST_DATABASE_URL: cluster.url('postgres', superPassword, 'flame_dev') }
    const title = `PostgreSQL flame_dev on 127.0.0.1:${cluster.port}`
    const first = await runCli(['up'], { cwd: repo, env: e })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(await apps(port)).toBe(200)
    const restore = () => cluster.sql('CREATE TABLE apps (id serial PRIMARY KEY, name text)', 'flame_dev')

    await cluster.sql('DROP TABLE apps', 'flame_dev')
    expect(await apps(port)).toBe(500)
    const lying = await runCli(['up'], { cwd: repo, env: e })
    expect(lying.code, lying.stdout + lying.stderr).toBe(1)
    const lines = lying.stdout.split('\n')
    // In order: what the step did, the restart, then the step's failure found at the end.
    const ran = lines.findIndex((l) => l.startsWith(`✔ ${title} — changed: apps gone: the app is restarted`))
    const restarted = lines.findIndex((l) => /^✔ Restart .* — changed/.test(l))
    const late = lines.findIndex((l) =>
      l.startsWith(
        `✖ ${title} — failed: after the restart, table apps is still gone: the app did not make it again at boot`,
      ),
    )
    expect(
      [ran, restarted, late].every((i) => i >= 0),
      lying.stdout,
    ).toBe(true)
    expect(ran < restarted && restarted < late).toBe(true)
    expect(lying.stdout).toMatch(/1 changed · 1 failed/)
    expect(lying.stdout).not.toContain('everything already set up')
    // The failure report names the step, the table and the fix in the recipe's terms.
    expect(lying.stderr).toContain(`${title} [database] failed: after the restart, table apps is still gone`)
    expect(lying.stderr).toContain('restore them from a backup')
    expect(lying.stderr).toContain('`devsetup up --force --only database` accepts it')
    expect(await apps(port)).toBe(500)

    // Recorded as any failed step: the step's status, the run's, and the run log.
    const dir = stateDirOf(repo)
    const state = JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8'))
    expect(state.steps.database.lastStatus).toBe('failed')
    expect(state.steps.database.data.tablesLost).toEqual(['apps'])
    expect(state.runs.at(-1).status).toBe('failed')
    const logs = readdirSync(path.join(dir, 'logs')).sort()
    expect(readFileSync(path.join(dir, 'logs', logs.at(-1)!), 'utf8')).toContain(
      '[database] failed at the end of the run: after the restart, table apps is still gone',
    )
    const stats = await runCli(['stats', '--json'], { cwd: repo, env: e })
    expect(JSON.parse(stats.stdout).runs.at(-1).status).toBe('failed')
    // Red until it is back; the next `up` fails before the restart, as it did before.
    expect((await runCli(['doctor'], { cwd: repo, env: e })).code).toBe(1)
    const again = await runCli(['up'], { cwd: repo, env: e })
    expect(again.code).toBe(1)
    expect(again.stdout).toContain('the app did not make them again when it was restarted')

    // Restored (from a backup): green, and the loss is no longer noted.
    await restore()
    const restored = await runCli(['up'], { cwd: repo, env: e })
    expect(restored.code, restored.stdout).toBe(0)
    expect(await apps(port)).toBe(200)
    expect((await runCli(['doctor'], { cwd: repo, env: e })).code).toBe(0)

    // --json: the step's step:end said changed; a step:late with the same fields says failed.
    await cluster.sql('DROP TABLE apps', 'flame_dev')
    const json = await runCli(['up', '--json'], { cwd: repo, env: e })
    expect(json.code, json.stdout).toBe(1)
    const all = events(json.stdout)
    const ofDatabase = all.filter((ev) => ev.step === 'database' && String(ev.event).startsWith('step:e'))
    expect(ofDatabase.map((ev) => ev.status)).toEqual(['changed'])
    const lateEvent = all.find((ev) => ev.event === 'step:late')
    expect(lateEvent).toMatchObject({ step: 'database', type: 'database', title, status: 'failed' })
    expect(String(lateEvent?.reason)).toContain('after the restart, table apps is still gone')
    expect(all.indexOf(lateEvent!)).toBeGreaterThan(
      all.findIndex((ev) => ev.event === 'step:end' && ev.step === 'restart'),
    )
    expect(all.at(-1)).toMatchObject({
      event: 'summary',
      status: 'failed',
      counts: { changed: 1, failed: 1 },
    })

    // The terminal's tree: a failed line of its own under the steps.
    await restore()
    expect((await runCli(['up'], { cwd: repo, env: e })).code).toBe(0)
    await cluster.sql('DROP TABLE apps', 'flame_dev')
    const tree = ptyOutput(repo, { ...e, TERM: 'xterm-256color' })
    expect(tree).toContain(`✔ ${title} — changed: apps gone`)
    expect(tree).toContain(`✖ ${title} — failed: after the restart, table apps is still gone`)
    expect(tree).toContain('1 changed · 1 failed')

    // Only the developer's word accepts the loss.
    const accepted = await runCli(['up', '--force', '--only', 'database'], { cwd: repo, env: e })
    expect(accepted.code, accepted.stdout).toBe(0)
    expect(accepted.stdout).toContain('accepted the loss of apps (--force)')
    // The database step ran (forced): the restart after it is pending, and the next plain `up` does it.
    expect((await runCli(['up'], { cwd: repo, env: e })).code).toBe(0)
    expect((await runCli(['doctor'], { cwd: repo, env: e })).code).toBe(0)
  })
})
