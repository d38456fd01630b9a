// The init examples that can run on this machine, end to end through the built CLI: a copy of
// the example, `init` with no edit to the recipe it writes, `up` to a server that answers with
// rows only a migrated and seeded database has, then `doctor` green, a no-op `up`, and a repair.
// The example's env file gets free ports (its 5432 and 3000 may be taken on a shared machine);
// nothing else of it changes.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, tempRepo } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'
import { services, sql } from './service/harness.js'

const s = services()
// vitest sets NODE_ENV=test, which every tool below would inherit (knex would read the knexfile's
// `test` block): a developer's shell has none.
const cli = (repo: string, args: string[]) => s.cli(repo, args, { NODE_ENV: 'development' })

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url)
  return { status: response.status, body: await response.text() }
}

describe('init examples run end to end', () => {
  it('knex/orders-api: init, then up starts PostgreSQL, installs, migrates, seeds and serves; doctor green; repairs a dropped table', async () => {
    const repo = tempRepo()
    cpSync(path.join(repoRoot, 'examples', 'init', 'knex', 'orders-api'), repo, { recursive: true })
    const [dbPort, webPort] = [await freePort(), await freePort()]
    const example = path.join(repo, '.env.example')
    writeFileSync(
      example,
      readFileSync(example, 'utf8')
        .replace('PORT=3000', `PORT=${webPort}`)
        .replace('localhost:5432', `localhost:${dbPort}`),
    )

    const init = await cli(repo, ['init'])
    expect(init.code, init.stdout + init.stderr).toBe(0)
    const recipe = readFileSync(path.join(repo, 'devsetup.yml'), 'utf8')
    expect(recipe).toContain('- service: postgres')
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

    const stop = await cli(repo, ['stop'])
    expect(stop.code).toBe(0)
    rmSync(path.join(repo, 'node_modules'), { recursive: true, force: true })
  }, 240_000)
})
