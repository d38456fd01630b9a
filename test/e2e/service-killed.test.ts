// A first `up` killed (SIGKILL: no clean-up at all) in the middle of a service's first start,
// at landmarks of the start (a file initdb or mariadb-install-db writes) and at the issue's
// delays: the next `up` must serve the recipe's own port, and never make a server that holds
// data again. Real PostgreSQL, MariaDB and redis-server; a real devsetup process killed.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoKey } from '../../src/steps/service/paths.js'
import { ask } from '../../src/steps/service/port.js'
import { type CliResult, isAlive, tempRepo, waitFor } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'
import {
  below,
  type Moment,
  mysqlServer,
  mysqlSql,
  pgRecipe,
  services,
  setupLeftovers,
  sql,
} from './service/harness.js'

const s = services()
const file = (name: string) => (dir: string) => existsSync(path.join(dir, name))
const size = (f: string) => (existsSync(f) ? statSync(f).size : 0)
/** The moment a server's log (in the service folder) grows past its size now: the server is starting. */
function logGrows(repo: string, engine: string, log: string): Moment {
  const before = size(path.join(s.dir(repo, engine), log))
  return { name: `${log} grew`, reached: (d) => size(path.join(d, log)) > before }
}

/**
 * `up` killed at `moment`, then `up` again: the killed run was cut short, the next one succeeds.
 * `later`: the next `up` comes once what the killed one left running (initdb goes on alone) has
 * ended, as when the developer comes back later; else at once, while it still runs.
 */
async function killedThenHealed(
  repo: string,
  engine: string,
  moment: Moment,
  next: 'later' | 'at once' = 'later',
): Promise<CliResult> {
  // A process devsetup did not start, in the repository: no kill nor heal may signal it.
  const bystander = spawn('sleep', ['300'], { cwd: repo, stdio: 'ignore' })
  const killed = await s.upKilledAt(repo, engine, moment)
  expect(killed.signal, `the moment "${moment.name}" came after \`up\` ended: ${killed.stdout}`).toBe(
    'SIGKILL',
  )
  if (next === 'later')
    await waitFor(
      () => setupLeftovers(path.join(s.state, repoKey(repo), 'services', engine)).length === 0,
      60_000,
      'the leftovers to end',
    )
  const healed = await s.cli(repo, ['up'])
  expect(healed.code, healed.stdout + healed.stderr).toBe(0)
  const doctor = await s.cli(repo, ['doctor'])
  expect(doctor.code).toBe(0)
  // The URLs' passwords (app-pw, root-pw, …) are shown masked, killed or not; the repository gets
  // nothing. (Whole passwords, not "-pw": a temporary folder may be named devsetup-test-pwBi0w.)
  for (const r of [killed, healed, doctor])
    expect(r.stdout + r.stderr).not.toMatch(/\b(app|root|lan|redis)-pw\b/)
  expect(readdirSync(repo).sort()).toEqual(['.git', 'devsetup.yml'])
  expect(bystander.exitCode === null && bystander.signalCode === null && isAlive(bystander.pid!)).toBe(true)
  bystander.kill('SIGKILL')
  return healed
}

/** What a killed start left next to the data folder (a half-made temporary one): nothing, once healed. */
const debris = (repo: string, engine: string) =>
  readdirSync(s.dir(repo, engine)).filter((n) => /^data./.test(n))

const postmasterPort = (repo: string) =>
  Number(readFileSync(path.join(s.dir(repo, 'postgres'), 'data', 'postmaster.pid'), 'utf8').split('\n')[3])

/** A repository whose PostgreSQL serves `url` on a port of the test's own; `rows`: a table with a row, after a first `up`. */
async function pgRepo(rows: boolean): Promise<{ repo: string; url: string; port: number }> {
  const port = await freePort()
  const url = `postgres://app:app-pw@127.0.0.1:${port}/app_dev`
  const repo = tempRepo({ 'devsetup.yml': pgRecipe(url) })
  if (rows) {
    expect((await s.cli(repo, ['up'])).code).toBe(0)
    await sql(url, 'CREATE TABLE notes (body text); INSERT INTO notes VALUES ($$kept$$)')
  }
  return { repo, url, port }
}

const pgFirstStart: Moment[] = [
  { name: 'its service folder appears', reached: (d) => existsSync(d) },
  { name: 'initdb wrote PG_VERSION', reached: (d) => below(d, 'PG_VERSION') },
  { name: 'initdb wrote postgresql.conf', reached: (d) => below(d, 'postgresql.conf') },
  { name: "initdb's bootstrap wrote pg_control", reached: (d) => below(d, 'pg_control', 3) },
  { name: 'pg_ctl opened the server log', reached: file('server.log') },
  {
    name: "initdb's single-user backend wrote postmaster.pid",
    reached: (d) => below(d, 'postmaster.pid') && !existsSync(path.join(d, 'server.log')),
  },
  { name: 'the server is up', reached: (d) => file('server.log')(d) && file('data/postmaster.pid')(d) },
  { name: '0.3 s in', afterMs: 300 },
  { name: '0.6 s in', afterMs: 600 },
]
/** Each moment with the next `up` later; the moments inside initdb also with it at once. */
const pgCases = [
  ...pgFirstStart.map((m) => ({ ...m, next: 'later' as const })),
  ...pgFirstStart.slice(1, 4).map((m) => ({ ...m, next: 'at once' as const })),
]

describe('service: postgres, a first start killed', () => {
  it.each(pgCases)(
    'when $name, the next `up` $next: serves the recipe port',
    async ({ next, ...moment }) => {
      const port = await freePort()
      const url = `postgres://app:app-pw@127.0.0.1:${port}/app_dev`
      const repo = tempRepo({ 'devsetup.yml': pgRecipe(url) })
      await killedThenHealed(repo, 'postgres', moment, next)
      expect(await sql(url, 'SELECT current_user AS who')).toEqual([{ who: 'app' }])
      expect(postmasterPort(repo)).toBe(port)
      expect(debris(repo, 'postgres')).toEqual([])
      expect((await s.cli(repo, ['stop'])).code).toBe(0)
    },
    120_000,
  )

  it('a cluster with rows is never made again, whenever its start is killed', async () => {
    const { repo, url, port } = await pgRepo(true)
    const restart = [
      () => logGrows(repo, 'postgres', 'server.log'),
      () => ({ name: 'the server wrote postmaster.pid', reached: file('data/postmaster.pid') }),
    ]
    for (const momentNow of restart) {
      expect((await s.cli(repo, ['stop'])).code).toBe(0)
      const moment = momentNow()
      const healed = await killedThenHealed(repo, 'postgres', moment)
      expect(healed.stdout).not.toContain('created a PostgreSQL')
      expect(await sql(url, 'SELECT body FROM notes')).toEqual([{ body: 'kept' }])
      expect(postmasterPort(repo)).toBe(port)
    }
    expect((await s.cli(repo, ['stop'])).code).toBe(0)
  }, 180_000)

  it('a half-made cluster an earlier devsetup left in `data` (killed in initdb) is set aside, not deleted, and a new one made', async () => {
    const { repo, url, port } = await pgRepo(false)
    const bootstrap = { name: 'bootstrap', reached: (d: string) => below(d, 'pg_control', 3) }
    expect((await s.upKilledAt(repo, 'postgres', bootstrap)).signal).toBe('SIGKILL')
    const dir = s.dir(repo, 'postgres')
    await waitFor(() => setupLeftovers(dir).length === 0, 60_000, 'initdb to end')
    // What devsetup before initdb got a folder of its own left: initdb's folder as `data` itself.
    const unfinished = readdirSync(dir).find((n) => n.startsWith('data.initdb-'))
    expect(unfinished).toBeDefined()
    renameSync(path.join(dir, unfinished!), path.join(dir, 'data'))
    const healed = await s.cli(repo, ['up'])
    expect(healed.code, healed.stdout + healed.stderr).toBe(0)
    expect(healed.stdout).toMatch(/set aside \S+data\.unfinished-\d+, a cluster whose initdb never finished/)
    expect(readdirSync(dir).filter((n) => n.startsWith('data.unfinished-'))).toHaveLength(1)
    expect(await sql(url, 'SELECT current_user AS who')).toEqual([{ who: 'app' }])
    expect(postmasterPort(repo)).toBe(port)
    expect((await s.cli(repo, ['stop'])).code).toBe(0)
  }, 120_000)

  it("a cluster whose postgresql.conf lost devsetup's include (the state a killed first start left) is served on the recipe port, rows kept", async () => {
    const { repo, url, port } = await pgRepo(true)
    expect((await s.cli(repo, ['stop'])).code).toBe(0)
    const conf = path.join(s.dir(repo, 'postgres'), 'data', 'postgresql.conf')
    const text = readFileSync(conf, 'utf8')
    expect(text).toContain("include_if_exists = 'devsetup.conf'")
    writeFileSync(conf, text.replace(/^.*devsetup.*$/gm, ''))
    const result = await s.cli(repo, ['up'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).not.toContain('created a PostgreSQL')
    expect(await sql(url, 'SELECT body FROM notes')).toEqual([{ body: 'kept' }])
    expect(postmasterPort(repo)).toBe(port)
    expect((await s.cli(repo, ['stop'])).code).toBe(0)
  }, 120_000)
})

const query = mysqlSql

const mysqlFirstStart: Moment[] = [
  { name: 'my.cnf appears', reached: file('my.cnf') },
  { name: 'mariadb-install-db wrote aria_log_control', reached: (d) => below(d, 'aria_log_control') },
  { name: 'mariadb-install-db made the mysql schema', reached: (d) => below(d, 'mysql') },
  { name: 'mariadb-install-db made the sys schema', reached: (d) => below(d, 'sys') },
  { name: 'the server wrote its pid file', reached: file('data/mysqld.pid') },
  // No fixed delay here: a first MariaDB start can end in 0.6 s on an idle machine, before any
  // delay worth the name (a fresh-clone CI run saw `up` end first); the landmarks cover its course.
]
const mysqlCases = [
  ...mysqlFirstStart.map((m) => ({ ...m, next: 'later' as const })),
  ...mysqlFirstStart.slice(1, 4).map((m) => ({ ...m, next: 'at once' as const })),
]

describe.runIf(mysqlServer)('service: mysql, a first start killed', () => {
  it.each(mysqlCases)(
    "when $name, the next `up` $next: serves the recipe port, root over TCP with the URL's password only",
    async ({ next, ...moment }) => {
      const url = `mysql://root:root-pw@127.0.0.1:${await freePort()}/shop`
      const repo = tempRepo({
        'devsetup.yml': `version: 1\nenv:\n  DATABASE_URL: ${url}\nsteps:\n  - service:\n      engine: mariadb\n      createDatabase: true\n`,
      })
      await killedThenHealed(repo, 'mysql', moment, next)
      expect(await query(url, 'SELECT DATABASE() AS db')).toEqual([{ db: 'shop' }])
      // The install script's password-less root@127.0.0.1 would shadow the URL's root@'%'.
      await expect(query(url.replace(':root-pw', ''), 'SELECT 1')).rejects.toThrow(/Access denied/)
      expect(debris(repo, 'mysql')).toEqual([])
      expect((await s.cli(repo, ['stop'])).code).toBe(0)
    },
    120_000,
  )
})

describe.runIf(mysqlServer)('service: mysql, a restart killed', () => {
  it("data with rows is never made again, and a root with a password of the developer's own is kept", async () => {
    const url = `mysql://root:root-pw@127.0.0.1:${await freePort()}/shop`
    const repo = tempRepo({
      'devsetup.yml': `version: 1\nenv:\n  DATABASE_URL: ${url}\nsteps:\n  - service:\n      engine: mariadb\n      createDatabase: true\n`,
    })
    expect((await s.cli(repo, ['up'])).code).toBe(0)
    await query(url, 'CREATE TABLE notes (body text)')
    await query(url, "INSERT INTO notes VALUES ('kept')")
    await query(url, "CREATE USER root@'192.168.%' IDENTIFIED BY 'lan-pw'")
    const restart = [
      () => logGrows(repo, 'mysql', 'mysql.log'),
      () => ({ name: 'the server wrote its pid file', reached: file('data/mysqld.pid') }),
    ]
    for (const momentNow of restart) {
      expect((await s.cli(repo, ['stop'])).code).toBe(0)
      const moment = momentNow()
      const healed = await killedThenHealed(repo, 'mysql', moment)
      expect(healed.stdout).not.toContain('created a')
      expect(await query(url, 'SELECT body FROM notes')).toEqual([{ body: 'kept' }])
    }
    expect(await query(url, "SELECT Host FROM mysql.user WHERE User = 'root' AND Host LIKE '192%'")).toEqual([
      { Host: '192.168.%' },
    ])
    expect((await s.cli(repo, ['stop'])).code).toBe(0)
  }, 120_000)
})

const redisFirstStart: Moment[] = [
  { name: 'its service folder appears', reached: (d) => existsSync(d) },
  { name: 'redis.conf appears', reached: file('redis.conf') },
  { name: 'the server opened redis.log', reached: file('redis.log') },
  { name: 'the server wrote redis.pid', reached: file('redis.pid') },
]

describe('service: redis, a first start killed', () => {
  it.each(redisFirstStart)(
    'when $name: the next `up` serves the recipe port',
    async (moment) => {
      const port = await freePort()
      const repo = tempRepo({
        'devsetup.yml': `version: 1\nenv:\n  REDIS_URL: redis://:redis-pw@127.0.0.1:${port}/0\nsteps:\n  - service: redis\n`,
      })
      await killedThenHealed(repo, 'redis', moment)
      // The recipe's server: its password is accepted on the recipe's port.
      expect((await ask(port, 'AUTH redis-pw\r\n')).trim()).toBe('+OK')
      expect((await s.cli(repo, ['stop'])).code).toBe(0)
    },
    60_000,
  )
})
