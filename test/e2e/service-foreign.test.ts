// A `service` step whose port is held by a server that is not devsetup's (the system's
// PostgreSQL, a MariaDB or redis-server someone started): real servers the test starts on ports of
// their own. Used as it is when it is the same engine and takes the URL's credentials — `up`
// green, doctor green, `stop` and `ps` leave it alone, nothing created in it but what the
// database step makes — and refused, with the reason, when it does not.
import { existsSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoKey } from '../../src/steps/service/paths.js'
import { tempRepo } from '../helpers.js'
import { startCluster } from './database/postgres-cluster.js'
import { startMariadb, startRedis } from './service/foreign-servers.js'
import { mysqlServer, pgRecipe, services } from './service/harness.js'

const s = services()
const serviceFolder = (repo: string, engine: string) => path.join(s.state, repoKey(repo), 'services', engine)

describe('service: a server on the port that is not devsetup’s', () => {
  it('PostgreSQL that accepts the URL’s user: used as it is, doctor green, stop and ps leave it alone', async () => {
    const cluster = await startCluster()
    try {
      await cluster.sql("CREATE ROLE app LOGIN CREATEDB PASSWORD 'app-pw'")
      const repo = tempRepo({ 'devsetup.yml': pgRecipe(cluster.url('app', 'app-pw', 'app_dev')) })
      const up = await s.cli(repo, ['up'])
      expect(up.stdout).toMatch(
        new RegExp(
          `PostgreSQL on 127\\.0\\.0\\.1:${cluster.port} is not devsetup's \\(pid \\d+ \`[^\`]*postgres[^\`]*\`\\) but accepts app: used as it is; \`devsetup stop\` leaves it alone`,
        ),
      )
      expect(up.code).toBe(0)
      // The database step made its database in that server; no role, no service folder of ours.
      expect(await cluster.sql("SELECT datname FROM pg_database WHERE datname = 'app_dev'")).toHaveLength(1)
      expect(existsSync(serviceFolder(repo, 'postgres'))).toBe(false)
      const doctor = await s.cli(repo, ['doctor'])
      expect(doctor.code).toBe(0)
      expect((await s.cli(repo, ['up'])).stdout).toContain('nothing changed')
      // Forced, the step's run uses it too: no server of its own started beside it.
      const forced = await s.cli(repo, ['up', '--force'])
      expect(forced.code).toBe(0)
      expect(forced.stdout).toContain('but accepts app: used as it is')
      expect(existsSync(serviceFolder(repo, 'postgres'))).toBe(false)
      expect((await s.cli(repo, ['ps'])).stdout).toContain('devsetup runs nothing for this repository now')
      const stop = await s.cli(repo, ['stop'])
      expect(stop.code).toBe(0)
      expect(stop.stdout).toContain('nothing devsetup started runs for this repository')
      expect(await cluster.sql('SELECT 1 AS one')).toEqual([{ one: 1 }])
    } finally {
      cluster.destroy()
    }
  }, 120_000)

  it('PostgreSQL that refuses the URL’s credentials: refused with its reason; no role is created in it', async () => {
    const cluster = await startCluster()
    try {
      await cluster.sql("CREATE ROLE app LOGIN PASSWORD 'app-pw'")
      for (const [url, why] of [
        [
          cluster.url('app', 'wrong-pw', 'app_dev'),
          'refused user app: password authentication failed (a wrong password, or no such role',
        ],
        [
          cluster.url('ghost', 'pw', 'app_dev'),
          'refused user ghost: password authentication failed (a wrong password, or no such role',
        ],
        // No user in the URL (Rails' default): the OS user, here with no password.
        [
          `postgres://127.0.0.1:${cluster.port}/app_dev`,
          'refused user nobody-here: it asks for a password and the URL has none',
        ],
      ] as const) {
        const repo = tempRepo({ 'devsetup.yml': pgRecipe(url) })
        const up = await s.cli(repo, ['up'], { USER: 'nobody-here', PGUSER: '', PGPASSWORD: '' })
        const out = up.stdout + up.stderr
        expect(up.code).toBe(1)
        expect(out).toContain(`port ${cluster.port} (from DATABASE_URL) is in use by pid `)
        expect(out).toContain(`not by this repository's PostgreSQL, and it cannot be used: ${why}`)
        expect(out).toMatch(/give this repository a port of its own in DATABASE_URL, e\.g\. \d+/)
        expect(out).toContain('give DATABASE_URL credentials that server takes')
        const doctor = await s.cli(repo, ['doctor'], { USER: 'nobody-here', PGUSER: '', PGPASSWORD: '' })
        expect(doctor.code).toBe(1)
        expect(doctor.stdout).toContain(why)
        // Not diagnosed as this repository's own server (whose database step would create the role).
        expect(out).not.toContain('likely cause')
      }
      expect(
        await cluster.sql("SELECT rolname FROM pg_roles WHERE rolname IN ('ghost', 'nobody-here')"),
      ).toEqual([])
      expect(await cluster.sql("SELECT 1 FROM pg_database WHERE datname = 'app_dev'")).toEqual([])
    } finally {
      cluster.destroy()
    }
  }, 120_000)

  it('Redis: used when it takes the URL’s password (PING after AUTH), refused when not; stop leaves it running', async () => {
    const redis = await startRedis('s3cret pw')
    try {
      const recipe = (url: string) => `version: 1\nenv:\n  REDIS_URL: ${url}\nsteps:\n  - service: redis\n`
      const good = tempRepo({ 'devsetup.yml': recipe(`redis://:s3cret%20pw@127.0.0.1:${redis.port}/0`) })
      const up = await s.cli(good, ['up'])
      expect(up.stdout).toContain(`Redis on 127.0.0.1:${redis.port} is not devsetup's (pid ${redis.pid} `)
      expect(up.stdout).toContain("but accepts the URL's password: used as it is")
      expect(up.code).toBe(0)
      expect((await s.cli(good, ['doctor'])).code).toBe(0)
      expect((await s.cli(good, ['stop'])).code).toBe(0)
      expect(redis.alive()).toBe(true)
      for (const [url, why] of [
        [`redis://:wrong@127.0.0.1:${redis.port}/0`, "refused the URL's password: WRONGPASS"],
        [`redis://127.0.0.1:${redis.port}/0`, 'refused a client without password: NOAUTH'],
      ]) {
        const bad = tempRepo({ 'devsetup.yml': recipe(url!) })
        const result = await s.cli(bad, ['up'])
        expect(result.code).toBe(1)
        expect(result.stdout + result.stderr).toContain(
          `not by this repository's Redis, and it cannot be used: ${why}`,
        )
      }
      expect(redis.alive()).toBe(true)
    } finally {
      await redis.destroy()
    }
  }, 60_000)

  it.runIf(mysqlServer)(
    'MariaDB: used when it accepts the URL’s user and password, refused when not',
    async () => {
      const maria = await startMariadb(mysqlServer!, 'app', 'app-pw')
      try {
        const recipe = (url: string) =>
          `version: 1\nenv:\n  DATABASE_URL: ${url}\nsteps:\n  - service: mariadb\n  - database:\n      url: \${DATABASE_URL}\n`
        const good = tempRepo({
          'devsetup.yml': recipe(`mysql://app:app-pw@127.0.0.1:${maria.port}/app_dev`),
        })
        const up = await s.cli(good, ['up'])
        expect(up.stdout).toContain(
          `MySQL/MariaDB on 127.0.0.1:${maria.port} is not devsetup's (pid ${maria.pid} `,
        )
        expect(up.stdout).toContain('but accepts app: used as it is')
        expect(up.code).toBe(0)
        expect((await s.cli(good, ['doctor'])).code).toBe(0)
        expect(existsSync(serviceFolder(good, 'mysql'))).toBe(false)
        expect((await s.cli(good, ['stop'])).code).toBe(0)
        expect(maria.alive()).toBe(true)
        const bad = tempRepo({ 'devsetup.yml': recipe(`mysql://app:wrong@127.0.0.1:${maria.port}/app_dev`) })
        const refused = await s.cli(bad, ['up'])
        expect(refused.code).toBe(1)
        expect(refused.stdout + refused.stderr).toContain(
          "not by this repository's MySQL/MariaDB, and it cannot be used: refused user app: access denied (a wrong password, or no such user)",
        )
      } finally {
        await maria.destroy()
      }
    },
    120_000,
  )

  it('another program on the port: refused as before, saying why', async () => {
    const holder = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\n'))
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r))
    const port = (holder.address() as { port: number }).port
    try {
      const repo = tempRepo({ 'devsetup.yml': pgRecipe(`postgres://app:pw@127.0.0.1:${port}/app_dev`) })
      const result = await s.cli(repo, ['up'])
      expect(result.code).toBe(1)
      expect(result.stdout + result.stderr).toContain(
        `port ${port} (from DATABASE_URL) is in use by pid ${process.pid} (`,
      )
      expect(result.stdout + result.stderr).toContain(
        "not by this repository's PostgreSQL, and it cannot be used: it does not answer as PostgreSQL",
      )
      expect(result.stdout + result.stderr).not.toContain('credentials that server takes')
    } finally {
      holder.close()
    }
  })

  it('a program that accepts and hangs up at once (no error, no reply): refused saying why, never a silent exit 0', async () => {
    const holder = createServer((socket) => socket.end())
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r))
    const port = (holder.address() as { port: number }).port
    try {
      for (const [engine, url, name] of [
        ['postgres', `postgres://app:pw@127.0.0.1:${port}/app_dev`, 'PostgreSQL'],
        ['redis', `redis://127.0.0.1:${port}/0`, 'Redis'],
        ['mysql', `mysql://app:pw@127.0.0.1:${port}/app_dev`, 'MySQL/MariaDB'],
      ]) {
        const repo = tempRepo({
          'devsetup.yml': `version: 1\nsteps:\n  - service: { engine: ${engine}, url: "${url}" }\n  - run: echo after the service\n`,
        })
        for (const command of ['up', 'doctor']) {
          const result = await s.cli(repo, [command])
          expect(result.code, `${engine} ${command}`).toBe(1)
          expect(result.stdout + result.stderr).toContain(
            `not by this repository's ${name}, and it cannot be used: it does not answer as ${name}`,
          )
        }
      }
    } finally {
      holder.close()
    }
  })

  it('this repository’s own server stopped and a PostgreSQL that takes the URL on its port: refused, its own data is not swapped for another server’s', async () => {
    const cluster = await startCluster()
    try {
      await cluster.sql("CREATE ROLE app LOGIN CREATEDB PASSWORD 'app-pw'")
      const url = cluster.url('app', 'app-pw', 'app_dev')
      // The repository's own server was set up on another port, then the recipe moved to the foreign one's.
      const repo = tempRepo({ 'devsetup.yml': `version: 1\nsteps:\n  - service: postgres\n` })
      expect((await s.cli(repo, ['up'])).code).toBe(0)
      expect((await s.cli(repo, ['stop'])).code).toBe(0)
      writeFileSync(path.join(repo, 'devsetup.yml'), pgRecipe(url))
      const result = await s.cli(repo, ['up'])
      expect(result.code).toBe(1)
      expect(result.stdout + result.stderr).toContain(
        `not by this repository's PostgreSQL (its data is in ${serviceFolder(repo, 'postgres')}: the other server is not used instead)`,
      )
      expect(await cluster.sql("SELECT 1 FROM pg_database WHERE datname = 'app_dev'")).toEqual([])
    } finally {
      cluster.destroy()
    }
  }, 120_000)
})
