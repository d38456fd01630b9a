// The walk of issue 23: the `database` step's fix for a refused connection suggested
// `start: pg_ctlcluster 16 …` although the recipe's own `service: postgres` step starts that
// server. Through the built CLI, against a port where nothing listens (nothing is started).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'

const database = '  - database: { url: "${DATABASE_URL}" }\n'
const service = '  - name: PostgreSQL server\n    id: db-server\n    service: postgres\n'
const hello = "  - id: hello\n    run: echo hi\n    check: 'true'\n"

async function setup(steps: string): Promise<{ repo: string; env: Record<string, string> }> {
  const port = await freePort()
  const repo = tempRepo({ 'devsetup.yml': `version: 1\nsteps:\n${steps}` })
  return { repo, env: { DATABASE_URL: `postgres://app:app-pw@127.0.0.1:${port}/app_dev` } }
}

/** doctor's fix line under the database step. */
function databaseFix(stdout: string): string {
  const lines = stdout.split('\n')
  const at = lines.findIndex((line) => /✗ PostgreSQL app_dev on /.test(line))
  expect(at, stdout).toBeGreaterThan(-1)
  return lines[at + 1]!.trim()
}

describe('database: a refused connection, and the recipe’s own service step', () => {
  it('doctor names the service step that starts the server, not a `start:` to write', async () => {
    const { repo, env } = await setup(service + database)
    const doctor = await runCli(['doctor'], { cwd: repo, env })
    expect(doctor.code).toBe(1)
    expect(databaseFix(doctor.stdout)).toBe(
      'fix: devsetup up --only db-server — the recipe\'s `service` step "PostgreSQL server" [db-server] starts this server',
    )
    expect(doctor.stdout).not.toContain('pg_ctlcluster')
  })

  it('the same from the recipe cache (a parse kept by an earlier `up`)', async () => {
    const { repo, env } = await setup(service + database + hello)
    expect((await runCli(['up', '--only', 'hello'], { cwd: repo, env })).code).toBe(0)
    expect(existsSync(path.join(stateDirOf(repo), 'recipe.json'))).toBe(true)
    const doctor = await runCli(['doctor'], { cwd: repo, env })
    expect(databaseFix(doctor.stdout)).toMatch(/^fix: devsetup up --only db-server — /)
  })

  it('`up --only` of the database step fails with the same fix', async () => {
    const { repo, env } = await setup(service + database)
    const up = await runCli(['up', '--only', 'database'], { cwd: repo, env })
    expect(up.code).toBe(1)
    expect(up.stdout).toContain('connection refused (devsetup up --only db-server — ')
    expect(up.stdout + up.stderr).not.toContain('pg_ctlcluster')
  })

  it('a service step placed after the database step: move it before', async () => {
    const { repo, env } = await setup(database + service)
    const doctor = await runCli(['doctor'], { cwd: repo, env })
    expect(databaseFix(doctor.stdout)).toBe(
      'fix: move the recipe\'s `service` step "PostgreSQL server" [db-server] before this step: it starts this server, then this step can reach it',
    )
  })

  it('a service of another engine is not taken for it: the `start:` fix stays', async () => {
    const { repo, env } = await setup(`  - service: redis\n${database}`)
    const doctor = await runCli(['doctor'], {
      cwd: repo,
      env: { ...env, REDIS_URL: 'redis://127.0.0.1:1/0' },
    })
    expect(databaseFix(doctor.stdout)).toContain('add `start:` to the database step')
    // No PostgreSQL service in the recipe: the first fix is one, and no version of someone else's machine.
    expect(databaseFix(doctor.stdout)).toContain('add `- service: postgres` before this step')
    expect(doctor.stdout).not.toMatch(/postgresql@\d+|pg_ctlcluster \d+/)
  })
})
