// The init examples that can run on this machine, end to end through the built CLI: a copy of
// the example, `init` with no edit to the recipe it writes, `up` to a server that answers with
// rows only a migrated and seeded database has, then `doctor` green, a no-op `up`, and repairs —
// among them a database renamed in .env, which the steps init wrote must follow as the app does.
// The example's env file gets free ports (its 5432 and 3000 may be taken on a shared machine);
// nothing else of it changes.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, tempRepo } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'
import { mysqlServer, mysqlSql, services, sql } from './service/harness.js'

const s = services()
// vitest sets NODE_ENV=test, which every tool below would inherit (knex would read the knexfile's
// `test` block): a developer's shell has none.
const cli = (repo: string, args: string[]) => s.cli(repo, args, { NODE_ENV: 'development' })

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url)
  return { status: response.status, body: await response.text() }
}

/**
 * A copy of examples/init/<example> whose .env.example has free ports (`dbAt` → `dbAs<port>`,
 * PORT=3000 → the web port), and the recipe `init` wrote for it with no edit.
 */
async function initialised(example: string, dbAt: string, dbAs: string) {
  const repo = tempRepo()
  cpSync(path.join(repoRoot, 'examples', 'init', ...example.split('/')), repo, { recursive: true })
  const [dbPort, webPort] = [await freePort(), await freePort()]
  const file = path.join(repo, '.env.example')
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('PORT=3000', `PORT=${webPort}`).replace(dbAt, `${dbAs}${dbPort}`),
  )
  const init = await cli(repo, ['init'])
  expect(init.code, init.stdout + init.stderr).toBe(0)
  return { repo, dbPort, webPort, recipe: readFileSync(path.join(repo, 'devsetup.yml'), 'utf8') }
}

describe('init examples run end to end', () => {
  it('knex/orders-api: init, then up starts PostgreSQL, installs, migrates, seeds and serves; doctor green; repairs a dropped table', async () => {
    const { repo, dbPort, webPort, recipe } = await initialised(
      'knex/orders-api',
      'localhost:5432',
      'localhost:',
    )
    // The app reads DATABASE_URL from .env: so do the service and database steps, with no literal beside it.
    expect(recipe).toContain('- service:\n          engine: postgres\n          url: ${DATABASE_URL}')
    expect(recipe).not.toMatch(/^env:/m)
    expect(recipe).toContain(`health: http://127.0.0.1:\${PORT:-${webPort}}/`)

    const up = await cli(repo, ['up'])
    expect(up.code, up.stdout + up.stderr).toBe(0)
    const app = `http://127.0.0.1:${webPort}/`
    expect(await get(app)).toEqual({ status: 200, body: '[{"item":"book"}]' })

    const doctor = await cli(repo, ['doctor'])
    expect(doctor.code, doctor.stdout).toBe(0)
    const again = await cli(repo, ['up'])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('nothing changed')

    // Broken behind devsetup's back: the app's table is gone. doctor must not be green.
    const url = `postgres://orders:orders@127.0.0.1:${dbPort}/orders_dev`
    await sql(url, 'DROP TABLE orders; DELETE FROM knex_migrations')
    expect((await get(app)).status).toBe(500)
    const red = await cli(repo, ['doctor'])
    expect(red.code, red.stdout).toBe(1)
    const repaired = await cli(repo, ['up'])
    expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0)
    expect((await get(app)).status).toBe(200)

    // Another database named in .env (the app reads it at its restart): doctor red on the database
    // step, not green on the example's; up creates, migrates and seeds it; the first one is kept.
    await sql(url, "INSERT INTO orders (item) VALUES ('kept')")
    const env = path.join(repo, '.env')
    writeFileSync(env, readFileSync(env, 'utf8').replace('/orders_dev', '/orders_other'))
    await renamedDatabase(repo, app, '[{"item":"book"}]')
    expect(await sql(url, 'SELECT item FROM orders')).toEqual([{ item: 'kept' }])

    const stop = await cli(repo, ['stop'])
    expect(stop.code).toBe(0)
    rmSync(path.join(repo, 'node_modules'), { recursive: true, force: true })
  }, 240_000)

  it.runIf(mysqlServer)(
    'sequelize/members-api: MYSQL_* keys in .env; up starts MariaDB, migrates, seeds and serves; a database renamed in .env is followed',
    async () => {
      const { repo, dbPort, webPort, recipe } = await initialised(
        'sequelize/members-api',
        'MYSQL_PORT=3306',
        'MYSQL_PORT=',
      )
      const url = 'mysql://${MYSQL_USER}:${MYSQL_PASSWORD}@${MYSQL_HOST}:${MYSQL_PORT}/${MYSQL_DATABASE}'
      expect(recipe.split(`url: ${url}`).length - 1).toBe(2)

      const up = await cli(repo, ['up'])
      expect(up.code, up.stdout + up.stderr).toBe(0)
      const app = `http://127.0.0.1:${webPort}/`
      const members = '[{"name":"Ada"},{"name":"Grace"}]'
      expect(await get(app)).toEqual({ status: 200, body: members })
      const doctor = await cli(repo, ['doctor'])
      expect(doctor.code, doctor.stdout).toBe(0)

      const env = path.join(repo, '.env')
      writeFileSync(
        env,
        readFileSync(env, 'utf8').replace('MYSQL_DATABASE=members_dev', 'MYSQL_DATABASE=members_other'),
      )
      await renamedDatabase(repo, app, members)
      const first = `mysql://members:members_pw@127.0.0.1:${dbPort}/members_dev`
      expect(await mysqlSql(first, 'SELECT name FROM members ORDER BY id')).toEqual([
        { name: 'Ada' },
        { name: 'Grace' },
      ])

      const stop = await cli(repo, ['stop'])
      expect(stop.code).toBe(0)
      rmSync(path.join(repo, 'node_modules'), { recursive: true, force: true })
    },
    300_000,
  )
  it('sequelize/tutorials-api: new Sequelize(dbConfig.DB, …) from app/config/db.config.js; up starts PostgreSQL and the app builds its table with sync(); a database renamed in .env is followed', async () => {
    const { repo, dbPort, webPort, recipe } = await initialised(
      'sequelize/tutorials-api',
      'DB_PORT=5432',
      'DB_PORT=',
    )
    const url = 'postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT}/${DB_NAME}'
    expect(recipe.split(`url: ${url}`).length - 1).toBe(2)
    // The app builds its tables at boot: nothing for the database step to migrate.
    expect(recipe).not.toMatch(/migrate:|load:/)

    const up = await cli(repo, ['up'])
    expect(up.code, up.stdout + up.stderr).toBe(0)
    const app = `http://127.0.0.1:${webPort}/`
    expect(await get(app)).toEqual({ status: 200, body: '[]' })
    const added = await fetch(`${app}api/tutorials`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'kept' }),
    })
    expect(added.status).toBe(201)
    const doctor = await cli(repo, ['doctor'])
    expect(doctor.code, doctor.stdout).toBe(0)

    const env = path.join(repo, '.env')
    writeFileSync(env, readFileSync(env, 'utf8').replace('DB_NAME=tutorials_dev', 'DB_NAME=tutorials_other'))
    await renamedDatabase(repo, app, '[]')
    const first = `postgres://tutorials:tutorials_pw@127.0.0.1:${dbPort}/tutorials_dev`
    expect(await sql(first, 'SELECT title FROM tutorials')).toEqual([{ title: 'kept' }])

    const stop = await cli(repo, ['stop'])
    expect(stop.code).toBe(0)
    rmSync(path.join(repo, 'node_modules'), { recursive: true, force: true })
  }, 240_000)
})

/**
 * After .env names another database: `doctor` is red and names the database step (the app's
 * database does not exist yet), `up` creates, migrates and seeds it and restarts the app, which
 * then serves `body` from it; `doctor` green again.
 */
async function renamedDatabase(repo: string, app: string, body: string): Promise<void> {
  const red = await cli(repo, ['doctor'])
  expect(red.code, red.stdout).toBe(1)
  expect(red.stdout).toMatch(/_other\b/)
  const up = await cli(repo, ['up'])
  expect(up.code, up.stdout + up.stderr).toBe(0)
  expect(await get(app)).toEqual({ status: 200, body })
  const green = await cli(repo, ['doctor'])
  expect(green.code, green.stdout).toBe(0)
}
