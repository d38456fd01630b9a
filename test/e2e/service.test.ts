// The `service` step with real servers: PostgreSQL (Debian's, installed by .ci/run) and
// redis-server. The promises under test: a server of the repository's own, started again when
// it died, its rows kept; another repository gets its own; `stop` stops only its own.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoKey } from '../../src/steps/service/paths.js'
import { isAlive, runCli, tempRepo, waitFor } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'
import { nobodyRepo, pgRecipe, services, sql } from './service/harness.js'

const s = services()

async function kill(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL')
  await waitFor(() => !isAlive(pid), 10_000, `pid ${pid} to die`)
}

describe('service: postgres', () => {
  it('creates, is a no-op again, restarts a killed server with its rows; a second repository gets its own; stop stops only its own', async () => {
    const port = await freePort()
    const url = `postgres://app:app-pw@127.0.0.1:${port}/app_dev`
    const a = tempRepo({ 'devsetup.yml': pgRecipe(url) })

    const first = await s.cli(a, ['up'])
    expect(first.stderr + first.stdout).toMatch(/created a PostgreSQL \d+ cluster/)
    expect(first.stdout).toContain(`started on 127.0.0.1:${port}, created role app`)
    expect(first.code).toBe(0)
    // The data lives in the state folder, not in the repository.
    expect(s.dir(a, 'postgres').startsWith(s.state)).toBe(true)
    expect(readdirSync(a).sort()).toEqual(['.git', 'devsetup.yml'])
    await sql(url, 'CREATE TABLE notes (body text); INSERT INTO notes VALUES ($$kept$$)')
    const pid = s.postmasterPid(a)!

    const again = await s.cli(a, ['up'])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('nothing changed')
    expect(again.stdout).toContain(`PostgreSQL server — ok: PostgreSQL`)
    expect(s.postmasterPid(a)).toBe(pid)

    await kill(pid)
    const doctor = await s.cli(a, ['doctor'])
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toMatch(/PostgreSQL server — unmet: PostgreSQL \d+ stopped/)

    const restarted = await s.cli(a, ['up'])
    expect(restarted.stdout).toContain(`started on 127.0.0.1:${port}`)
    expect(restarted.stdout).not.toContain('created a PostgreSQL')
    expect(restarted.code).toBe(0)
    expect(await sql(url, 'SELECT body FROM notes')).toEqual([{ body: 'kept' }])

    // A second repository, without a URL: devsetup picks a free port, keeps it, and hands the URL on.
    const b = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - service: postgres
  - run: node -e "require('fs').writeFileSync('url.txt', process.env.DATABASE_URL)"
    creates: url.txt
`,
    })
    const second = await s.cli(b, ['up'])
    expect(second.code).toBe(0)
    const bUrl = readFileSync(path.join(b, 'url.txt'), 'utf8')
    const bPort = s.record(b, 'postgres').port
    expect(bUrl).toBe(`postgres://postgres@127.0.0.1:${bPort}/postgres`)
    expect(bPort).not.toBe(port)
    expect(s.dir(b, 'postgres')).not.toBe(s.dir(a, 'postgres'))
    expect(await sql(bUrl, "SELECT to_regclass('notes') AS t")).toEqual([{ t: null }])
    const bAgain = await s.cli(b, ['up'])
    expect(bAgain.stdout).toContain(`running on 127.0.0.1:${bPort}`)
    expect(bAgain.stdout).toContain('nothing changed')

    const stopped = await s.cli(a, ['stop'])
    expect(stopped.code).toBe(0)
    expect(stopped.stdout).toContain('postgres stopped (data kept in')
    expect(s.postmasterPid(a)).toBeUndefined()
    const bPid = s.postmasterPid(b)!
    expect(isAlive(bPid)).toBe(true)
    expect((await s.cli(b, ['doctor'])).code).toBe(0)
    // ...and after `stop`, `up` brings A back with its rows.
    expect((await s.cli(a, ['up'])).code).toBe(0)
    expect(await sql(url, 'SELECT body FROM notes')).toEqual([{ body: 'kept' }])
  }, 180_000)

  it('refuses a port another program holds, naming a free one', async () => {
    const holder = createServer()
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r))
    const port = (holder.address() as { port: number }).port
    try {
      const repo = tempRepo({ 'devsetup.yml': pgRecipe(`postgres://localhost:${port}/app_dev`) })
      const result = await s.cli(repo, ['up'])
      expect(result.code).toBe(1)
      // The holder by pid and command: here, the test's own process.
      expect(result.stdout + result.stderr).toContain(
        `port ${port} (from DATABASE_URL) is in use by pid ${process.pid} (`,
      )
      expect(result.stdout + result.stderr).toContain("), not by this repository's PostgreSQL")
      expect(result.stdout + result.stderr).toMatch(
        /give this repository a port of its own in DATABASE_URL, e\.g\. \d+/,
      )
    } finally {
      holder.close()
    }
  })

  it("a second clone whose recipe names the first clone's port: the refusal says the port is devsetup's server of that clone", async () => {
    const url = `postgres://app:app-pw@127.0.0.1:${await freePort()}/app_dev`
    const first = tempRepo({ 'devsetup.yml': pgRecipe(url) })
    const second = tempRepo({ 'devsetup.yml': pgRecipe(url) })
    expect((await s.cli(first, ['up'])).code).toBe(0)
    try {
      const result = await s.cli(second, ['up'])
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(`devsetup's server for ${first} (\`devsetup stop\` there stops it)`)
    } finally {
      await s.cli(first, ['stop'])
    }
  }, 120_000)

  it('never touches a data folder that is not a cluster, nor a cluster of a major version that is not installed', async () => {
    for (const [files, message] of [
      [
        { 'notes.txt': 'mine' },
        'holds files but no PostgreSQL cluster (no PG_VERSION): devsetup does not touch it',
      ],
      [
        { PG_VERSION: '9\n', 'base/1': 'old data' },
        "is PostgreSQL 9, and PostgreSQL 9's binaries are not installed",
      ],
    ] as const) {
      const repo = tempRepo({ 'devsetup.yml': pgRecipe(`postgres://localhost:${await freePort()}/app_dev`) })
      const data = path.join(s.state, repoKey(repo), 'services', 'postgres', 'data')
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(data, name)), { recursive: true })
        writeFileSync(path.join(data, name), text)
      }
      const result = await s.cli(repo, ['up'])
      expect(result.code).toBe(1)
      expect(result.stdout + result.stderr).toContain(message)
      for (const [name, text] of Object.entries(files))
        expect(readFileSync(path.join(data, name), 'utf8')).toBe(text)
      expect(readdirSync(data).sort()).toEqual(
        Object.keys(files)
          .map((n) => n.split('/')[0])
          .sort(),
      )
    }
  })

  it.runIf(process.getuid?.() === 0)(
    'as root: refuses a state folder the postgres user cannot reach, with the chmod',
    async () => {
      const closed = mkdtempSync(path.join(tmpdir(), 'devsetup-closed-'))
      const repo = tempRepo({ 'devsetup.yml': pgRecipe(`postgres://localhost:${await freePort()}/app_dev`) })
      const result = await runCli(['up'], {
        cwd: repo,
        env: { DEVSETUP_STATE_DIR: path.join(closed, 'state') },
      })
      expect(result.code).toBe(1)
      expect(result.stdout + result.stderr).toContain('the `postgres` user that runs PostgreSQL cannot reach')
      expect(result.stdout + result.stderr).toContain(`chmod o+x ${closed}`)
      expect(result.stdout + result.stderr).not.toMatch(/initdb:/)
    },
  )

  it.runIf(process.getuid?.() === 0)(
    'as a regular user: the state folder under XDG_STATE_HOME, the login name as the role',
    async () => {
      const { data, run } = nobodyRepo(pgRecipe(`postgres://localhost:${await freePort()}/shop_dev`))
      try {
        const result = await run(['up'])
        expect(result.stdout).toContain(`in ${data('postgres')}`)
        expect(result.stdout).toContain('created role nobody')
        expect(result.stdout).toContain('changed: created shop_dev')
        expect(result.code).toBe(0)
      } finally {
        expect((await run(['stop'])).stdout).toContain('postgres stopped')
      }
    },
    90_000,
  )

  it('says what it cannot serve: a remote URL', async () => {
    const remote = tempRepo({ 'devsetup.yml': pgRecipe('postgres://db.example.com:5432/app_dev') })
    const result = await s.cli(remote, ['up'])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('DATABASE_URL points at db.example.com, not this machine')
  })
})

/** One Redis command over a raw socket (RESP inline form). */
async function redis(port: number, command: string): Promise<string> {
  const { ask } = await import('../../src/steps/service/port.js')
  return (await ask(port, `${command}\r\n`)).trim()
}

describe('service: redis', () => {
  it('starts redis-server, keeps its data across a kill, and stops only its own', async () => {
    const port = await freePort()
    const recipe = `version: 1\nenv:\n  REDIS_URL: redis://127.0.0.1:${port}/0\nsteps:\n  - service: redis\n`
    const a = tempRepo({ 'devsetup.yml': recipe })
    const first = await s.cli(a, ['up'])
    expect(first.stdout).toContain(`Redis server — changed: started on 127.0.0.1:${port}`)
    expect(first.code).toBe(0)
    expect(await redis(port, 'SET greeting kept')).toBe('+OK')

    const again = await s.cli(a, ['up'])
    expect(again.stdout).toContain('nothing changed')

    const pid = Number(readFileSync(path.join(s.dir(a, 'redis'), 'redis.pid'), 'utf8'))
    await kill(pid)
    const restarted = await s.cli(a, ['up'])
    expect(restarted.stdout).toContain(`started on 127.0.0.1:${port}`)
    expect(await redis(port, 'GET greeting')).toBe('$4\r\nkept')

    const b = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - service: redis\n' })
    expect((await s.cli(b, ['up'])).code).toBe(0)
    const bPort = s.record(b, 'redis').port
    expect(bPort).not.toBe(port)
    expect(await redis(bPort, 'GET greeting')).toBe('$-1')

    expect((await s.cli(a, ['stop'])).stdout).toContain('redis stopped')
    expect(await redis(port, 'PING')).toBe('')
    expect(await redis(bPort, 'PING')).toBe('+PONG')
    const json = JSON.parse((await s.cli(b, ['stop', '--json'])).stdout)
    expect(json).toEqual({
      repository: b,
      stopped: [
        {
          name: 'redis',
          title: 'redis',
          stopped: true,
          pid: expect.any(Number),
          log: path.join(s.dir(b, 'redis'), 'redis.log'),
          data: s.dir(b, 'redis'),
        },
      ],
    })
    expect(await redis(bPort, 'PING')).toBe('')
  }, 120_000)
})
