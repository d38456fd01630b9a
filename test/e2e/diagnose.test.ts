// Failure diagnosis through the built CLI: a real step fails for a known cause, and the
// failure report, the plain lines, --json and the run log say the cause and the fix.
import { readdirSync, readFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { events, runCli, stateDirOf, tempRepo } from '../helpers.js'
import { freePort, type PgCluster, startCluster } from './database/postgres-cluster.js'

const runLog = (repo: string) => {
  const logs = path.join(stateDirOf(repo), 'logs')
  return readdirSync(logs)
    .map((f) => readFileSync(path.join(logs, f), 'utf8'))
    .join('\n')
}
/** A server as an app starts one, on `port`: serve.js in the repository. */
const serveJs =
  "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.argv[2]), '127.0.0.1')\n"

describe('failure diagnosis (built CLI)', () => {
  const held: net.Server[] = []
  afterAll(() => {
    for (const server of held) server.close()
  })

  it("a run step on a port another process holds: names the holder and that it is not devsetup's", async () => {
    const server = net.createServer()
    held.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as net.AddressInfo).port
    const repo = tempRepo({
      'serve.js': serveJs,
      'devsetup.yml': `version: 1\nsteps:\n  - { name: Serve, run: node serve.js ${port} }\n`,
    })

    const plain = await runCli(['up'], { cwd: repo })
    expect(plain.code).toBe(1)
    expect(plain.stdout).toContain(`↳ likely cause: port ${port} is held by pid ${process.pid}`)
    expect(plain.stderr).toContain(`likely cause: port ${port} is held by pid ${process.pid}`)
    expect(plain.stderr).toMatch(/not started by devsetup/)
    expect(plain.stderr).toContain(`fix:          stop it (\`kill ${process.pid}\`)`)
    expect(runLog(repo)).toContain(`diagnosis (port-in-use): port ${port} is held by pid ${process.pid}`)

    const json = await runCli(['up', '--json'], { cwd: repo })
    const end = events(json.stdout).find((e) => e.event === 'step:end') as {
      failure: { diagnosis: { id: string; cause: string }[] }
    }
    expect(end.failure.diagnosis[0]?.id).toBe('port-in-use')
  })

  it("a run step on the port of devsetup's own dev server: says it is this repository's server", async () => {
    const port = await freePort()
    const repo = tempRepo({
      'serve.js': serveJs,
      'devsetup.yml': `version: 1
steps:
  - restart: { start: node serve.js ${port}, health: "http://127.0.0.1:${port}/" }
  - { name: Second server, run: node serve.js ${port} }
`,
    })
    try {
      const result = await runCli(['up'], { cwd: repo })
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(
        new RegExp(`likely cause: port ${port} is held by this repository's dev server, pid \\d+`),
      )
      expect(result.stderr).toContain('`devsetup stop` stops the running one')
    } finally {
      await runCli(['stop'], { cwd: repo })
    }
  })

  it('a missing env variable: names the dotenv line that provides it', async () => {
    const repo = tempRepo({
      '.env.example': 'PORT=3000\n',
      // How an app checks its configuration at boot, before it listens.
      'boot.js':
        "if (!process.env.JWT_SECRET) {\n  console.error('Error: missing environment variable JWT_SECRET')\n  process.exit(1)\n}\n",
      'devsetup.yml':
        'version: 1\nsteps:\n  - dotenv: { from: .env.example }\n  - { name: Boot, run: node boot.js }\n',
    })
    const result = await runCli(['up'], { cwd: repo })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('likely cause: the environment variable JWT_SECRET is not set')
    expect(result.stderr).toMatch(
      /fix: +add `generate: \[JWT_SECRET\]` to the `dotenv` step "[^"]+" \[dotenv\]/,
    )
  })

  describe('with a real PostgreSQL', () => {
    let cluster: PgCluster
    beforeAll(async () => {
      cluster = await startCluster()
      await cluster.sql("CREATE ROLE app LOGIN CREATEDB PASSWORD 'app-pw'")
    })
    afterAll(() => cluster?.destroy())

    it('a migrate that hits a missing relation: says the migrations did not create it', async () => {
      const repo = tempRepo({
        'devsetup.yml': `version: 1
steps:
  - database:
      url: \${TEST_DATABASE_URL}
      migrate: psql "$TEST_DATABASE_URL" -v ON_ERROR_STOP=1 -c "ALTER TABLE users ADD COLUMN email text"
`,
      })
      const env = { TEST_DATABASE_URL: cluster.url('app', 'app-pw', 'diag_dev') }
      const result = await runCli(['up'], { cwd: repo, env })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('relation "users" does not exist')
      expect(result.stderr).toContain(
        'likely cause: table "users" does not exist: the migrations have not run against this database',
      )
      expect(result.stderr).toMatch(/fix: +this step's `migrate:` did not create it/)
    })
  })
})
