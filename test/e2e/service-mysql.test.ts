// The `service` step with a real MariaDB (Debian's mariadb-server, installed by .ci/run). The
// promises under test, as for PostgreSQL: a server of the repository's own, started again when it
// died, its rows kept; another repository gets its own; `stop` stops only its own.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoKey } from '../../src/steps/service/paths.js'
import { isAlive, nobody, tempRepo, waitFor } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'
import { mysqlSql, nobodyRepo, services } from './service/harness.js'

const s = services()
const server = ['mariadbd', 'mysqld'].find((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0)

const query = mysqlSql

const pid = (repo: string) =>
  Number(readFileSync(path.join(s.dir(repo, 'mysql'), 'data', 'mysqld.pid'), 'utf8'))

const recipe = (url: string) => `version: 1
env:
  DATABASE_URL: ${url}
steps:
  - service:
      engine: mariadb
      create_database: true
`

describe.runIf(server)('service: mysql (MariaDB)', () => {
  it('creates, is a no-op again, restarts a killed server with its rows; a second repository gets its own; stop stops only its own', async () => {
    const port = await freePort()
    const url = `mysql://app:app-pw@127.0.0.1:${port}/app_dev`
    const a = tempRepo({ 'devsetup.yml': recipe(url) })

    const first = await s.cli(a, ['up'])
    expect(first.stdout).toMatch(/created a (MariaDB|MySQL) data folder in/)
    expect(first.stdout).toContain(`started on 127.0.0.1:${port}, created user app, created database app_dev`)
    expect(first.code).toBe(0)
    expect(s.dir(a, 'mysql').startsWith(s.state)).toBe(true)
    expect(readdirSync(a).sort()).toEqual(['.git', 'devsetup.yml'])
    // The password is the URL's: another one is refused.
    await expect(query(url.replace('app-pw', 'wrong'), 'SELECT 1')).rejects.toThrow(/Access denied/)
    await query(url, 'CREATE TABLE notes (body text)')
    await query(url, "INSERT INTO notes VALUES ('kept')")
    const firstPid = pid(a)
    if (process.getuid?.() === 0)
      expect(readFileSync(`/proc/${firstPid}/status`, 'utf8')).not.toMatch(/^Uid:\s+0\s/m)

    const again = await s.cli(a, ['up'])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('nothing changed')
    expect(again.stdout).toMatch(/MySQL\/MariaDB server — ok: (MariaDB|MySQL) running on 127\.0\.0\.1:/)
    expect(pid(a)).toBe(firstPid)

    process.kill(firstPid, 'SIGKILL')
    await waitFor(() => !isAlive(firstPid), 10_000, `pid ${firstPid} to die`)
    const doctor = await s.cli(a, ['doctor'])
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toMatch(/MySQL\/MariaDB server — unmet: (MariaDB|MySQL) stopped/)

    const restarted = await s.cli(a, ['up'])
    expect(restarted.stdout).toContain(`started on 127.0.0.1:${port}`)
    expect(restarted.stdout).not.toContain('created a')
    expect(restarted.code).toBe(0)
    expect(await query(url, 'SELECT body FROM notes')).toEqual([{ body: 'kept' }])

    // A second repository, without a URL: a free port, kept, and the URL handed on.
    const b = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - service: mysql
  - run: node -e "require('fs').writeFileSync('url.txt', process.env.DATABASE_URL)"
    creates: url.txt
`,
    })
    const second = await s.cli(b, ['up'])
    expect(second.code, second.stdout + second.stderr).toBe(0)
    const bUrl = readFileSync(path.join(b, 'url.txt'), 'utf8')
    const bPort = s.record(b, 'mysql').port
    expect(bUrl).toBe(`mysql://root@127.0.0.1:${bPort}`)
    expect(bPort).not.toBe(port)
    expect(await query(bUrl, "SHOW DATABASES LIKE 'app_dev'")).toEqual([])
    expect((await s.cli(b, ['up'])).stdout).toContain('nothing changed')

    const stopped = await s.cli(a, ['stop'])
    expect(stopped.code).toBe(0)
    expect(stopped.stdout).toContain('mysql stopped (data kept in')
    expect(isAlive(firstPid)).toBe(false)
    await expect(query(url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/)
    expect(await query(bUrl, 'SELECT 1 AS one')).toEqual([{ one: 1 }])
    expect((await s.cli(b, ['doctor'])).code).toBe(0)
    // ...and after `stop`, `up` brings A back with its rows.
    expect((await s.cli(a, ['up'])).code).toBe(0)
    expect(await query(url, 'SELECT body FROM notes')).toEqual([{ body: 'kept' }])
  }, 180_000)

  it("its own server without a pid file yet (MariaDB listens first: a run killed mid-start) is this repository's, not another program's", async () => {
    const url = `mysql://app:app-pw@127.0.0.1:${await freePort()}/app_dev`
    const repo = tempRepo({ 'devsetup.yml': recipe(url) })
    expect((await s.cli(repo, ['up'])).code).toBe(0)
    const running = pid(repo)
    rmSync(path.join(s.dir(repo, 'mysql'), 'data', 'mysqld.pid'))
    const doctor = await s.cli(repo, ['doctor'])
    expect(doctor.stdout).not.toContain('in use by another program')
    const again = await s.cli(repo, ['up'])
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(again.stdout).not.toContain('started on')
    expect(isAlive(running)).toBe(true)
    expect((await s.cli(repo, ['stop'])).code).toBe(0)
    await waitFor(() => !isAlive(running), 30_000, `pid ${running} to stop`)
  }, 120_000)

  it('never touches a data folder that holds something else', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(`mysql://app@127.0.0.1:${await freePort()}/app_dev`) })
    const data = path.join(s.state, repoKey(repo), 'services', 'mysql', 'data')
    mkdirSync(data, { recursive: true })
    writeFileSync(path.join(data, 'notes.txt'), 'mine')
    const result = await s.cli(repo, ['up'])
    expect(result.code).toBe(1)
    expect(result.stdout + result.stderr).toContain(
      'holds files but no MySQL data (no mysql/): devsetup does not touch it',
    )
    expect(readdirSync(data)).toEqual(['notes.txt'])
  })

  it('root in the URL, with a password: that password over TCP, none other; a TMPDIR the server cannot write is not its', async () => {
    const url = `mysql://root:root-pw@127.0.0.1:${await freePort()}/shop`
    const repo = tempRepo({ 'devsetup.yml': recipe(url) })
    // The person's own temp folder (0700): as root, the server drops to the `mysql` user, which
    // cannot write there (mariadbd failed with "Errcode: 13" before it had a tmpdir of its own).
    const privateTmp = mkdtempSync(path.join(tmpdir(), 'devsetup-private-tmp-'))
    const result = await s.cli(repo, ['up'], { TMPDIR: privateTmp })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(await query(url, 'SELECT DATABASE() AS db')).toEqual([{ db: 'shop' }])
    await expect(query(url.replace(':root-pw', ''), 'SELECT 1')).rejects.toThrow(/Access denied/)
  })

  it.runIf(process.getuid?.() === 0)(
    'as a regular user: the state folder under XDG_STATE_HOME, the server runs as that user',
    async () => {
      const port = await freePort()
      const { data, run } = nobodyRepo(recipe(`mysql://shop:pw@127.0.0.1:${port}/shop_dev`))
      try {
        const result = await run(['up'])
        expect(result.stdout).toContain(`in ${data('mysql')}`)
        expect(result.stdout).toContain('created user shop, created database shop_dev')
        expect(result.code).toBe(0)
        const serverPid = Number(readFileSync(path.join(data('mysql'), 'mysqld.pid'), 'utf8'))
        expect(readFileSync(`/proc/${serverPid}/status`, 'utf8')).toMatch(
          new RegExp(`^Uid:\\s+${nobody}\\s`, 'm'),
        )
        expect(await query(`mysql://shop:pw@127.0.0.1:${port}/shop_dev`, 'SELECT 1 AS one')).toEqual([
          { one: 1 },
        ])
      } finally {
        expect((await run(['stop'])).stdout).toContain('mysql stopped')
      }
    },
    90_000,
  )
})
