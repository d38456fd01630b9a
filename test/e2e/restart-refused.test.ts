// An app whose database port in .env is one nothing listens on (DB_PORT=5433) fails in seconds,
// naming the address and the .env key, instead of after health_timeout: the real clients (pg,
// mysql2, Node's net) log their real refusals. A sibling of the server's own that listens there
// later (an API still compiling, or one started with PORT=) keeps the wait going, and the server
// is healthy once it does. Real servers, the built CLI.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards } from './restart/servers.js'

const require = createRequire(import.meta.url)
const client = (name: string) => JSON.stringify(require.resolve(name))

// The app reads its .env itself, as dotenv would.
const readEnv = `const env = Object.fromEntries(require('node:fs').readFileSync('.env', 'utf8').split('\\n')
  .filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
`

// A page that queries PostgreSQL through pg's pool at each request: 500 while it cannot.
const pgApp = (port: number) => `${readEnv}
const pg = require(${client('pg')})
const pool = new pg.Pool({ host: '127.0.0.1', port: Number(env.DB_PORT), user: 'app', database: 'app' })
require('node:http').createServer(async (req, res) => {
  try { await pool.query('select 1'); res.end('ok') }
  catch (error) { console.error(error); res.statusCode = 500; res.end('database down') }
}).listen(${port}, '127.0.0.1')
`

// Connects to MySQL with mysql2 before it listens, and retries each second for ever.
const mysqlApp = (port: number) => `${readEnv}
const mysql = require(${client('mysql2/promise')})
;(async () => {
  for (;;) {
    try { await mysql.createConnection(env.DATABASE_URL); break }
    catch (error) { console.error(error); console.log('retrying in 1s'); await new Promise((r) => setTimeout(r, 1000)) }
  }
  require('node:http').createServer((req, res) => res.end('ok')).listen(${port}, '127.0.0.1')
})()
`

// Node's own error of a plain connect, logged whole (a stack) or its message only; then it
// stays up, listening on nothing.
const netApp = (log: string) => `${readEnv}
require('node:net').connect(Number(env.REDIS_PORT), '127.0.0.1').on('error', (error) => console.error(${log}))
setInterval(() => {}, 1000)
`

// A web page that fetches its API: 503 while the API refuses, 200 once it answers.
const webApp = (port: number, api: number) => `
require('node:http').createServer(async (req, res) => {
  try { await fetch('http://127.0.0.1:${api}/'); res.end('ok') }
  catch (error) { console.error(error); res.statusCode = 503; res.end('api down') }
}).listen(${port}, '127.0.0.1')
`

// The API: listens on argv[2] or PORT after 5 s, busy compiling meanwhile or not.
const apiApp = (compiles: boolean) => `
const port = Number(process.argv[2] || process.env.PORT)
const listen = () => require('node:http').createServer((req, res) => res.end('api')).listen(port, '127.0.0.1')
${compiles ? 'const end = Date.now() + 5000; while (Date.now() < end) {}; listen()' : 'setTimeout(listen, 5000)'}
`

async function up(dir: string) {
  killServersAfterwards(dir)
  const started = Date.now()
  const result = await runCli(['up'], { cwd: dir })
  return { ...result, out: result.stdout + result.stderr, ms: Date.now() - started }
}

describe('restart: the app logs a refused connection to an address nothing listens on', () => {
  it('pg at a DB_PORT in .env nothing listens on: fails in seconds, naming the address and the key', async () => {
    const [port, db] = [await freePort(), await freePort()]
    const dir = tempRepo({
      'app.js': pgApp(port),
      '.env.example': 'DB_PORT=5432\n',
      '.env': `DB_PORT=${db}\n`,
      'devsetup.yml': `version: 1
steps:
  - dotenv: { from: .env.example }
  - restart:
      start: node app.js
      health: http://127.0.0.1:${port}/
      health_timeout: 90s
`,
    })
    const { code, out, ms } = await up(dir)
    expect(code, out).toBe(1)
    expect(out).toContain(`the app cannot connect to 127.0.0.1:${db} (nothing listens there`)
    expect(out).toContain(`ECONNREFUSED 127.0.0.1:${db}`)
    expect(out).toContain('DB_PORT in .env holds that port')
    expect(out).not.toContain('after 90s')
    // A generous bound: the verdict is due about 3 s after the first refusal, not after 90 s.
    expect(ms, out).toBeLessThan(45_000)
  }, 120_000)

  it('mysql2 retrying before it listens: fails in seconds, naming DATABASE_URL', async () => {
    const [port, db] = [await freePort(), await freePort()]
    const dir = tempRepo({
      'app.js': mysqlApp(port),
      '.env': `DATABASE_URL=mysql://app:s3cret@127.0.0.1:${db}/app\n`,
      'devsetup.yml': `version: 1
steps:
  - restart:
      start: node app.js
      port: ${port}
      env_files: [.env]
      health_timeout: 90s
`,
    })
    const { code, out, ms } = await up(dir)
    expect(code, out).toBe(1)
    expect(out).toContain(`the app cannot connect to 127.0.0.1:${db} (nothing listens there`)
    expect(out).toContain('DATABASE_URL in .env holds that port')
    expect(out).not.toContain('s3cret')
    expect(ms, out).toBeLessThan(45_000)
  }, 120_000)

  for (const [how, log] of [
    ['its error whole', 'error'],
    ['the message only', "'cache: ' + error.message"],
  ] as const)
    it(`an app that logs a refused connect (${how}) and stays up idle is told by that address, not called a worker`, async () => {
      const db = await freePort()
      const dir = tempRepo({
        'app.js': netApp(log),
        '.env': `REDIS_PORT=${db}\n`,
        'devsetup.yml': `version: 1
steps:
  - restart:
      start: node app.js
      env_files: [.env]
      health_timeout: 90s
`,
      })
      const { code, out } = await up(dir)
      expect(code, out).toBe(1)
      expect(out).toContain(`the app cannot connect to 127.0.0.1:${db} (nothing listens there`)
      expect(out).toContain('REDIS_PORT in .env holds that port')
      expect(out).not.toContain('idle and silent for')
    }, 120_000)

  for (const [how, compiles, start] of [
    ['compiling', true, (api: number) => `node api.js ${api} & node web.js`],
    ['started with PORT=', false, (api: number) => `PORT=${api} node api.js & node web.js`],
  ] as const)
    it(`a sibling API ${how} that listens after 5 s keeps the wait going, and the server is healthy`, async () => {
      const [port, api] = [await freePort(), await freePort()]
      const dir = tempRepo({
        'web.js': webApp(port, api),
        'api.js': apiApp(compiles),
        'devsetup.yml': `version: 1
steps:
  - restart:
      start: ${start(api)}
      health: http://127.0.0.1:${port}/
      health_timeout: 60s
`,
      })
      const { code, out } = await up(dir)
      expect(code, out).toBe(0)
      expect(out).toMatch(/healthy in [5-9]\.\d+s|healthy in 1\d/)
      expect(out).not.toContain('cannot connect')
    }, 120_000)

  it("a refusal at another server of this recipe (a later restart's health port) is no verdict", async () => {
    const [port, api] = [await freePort(), await freePort()]
    const dir = tempRepo({
      'web.js': webApp(port, api),
      'api.js': apiApp(false),
      'devsetup.yml': `version: 1
steps:
  - id: web
    restart:
      start: node web.js
      health: http://127.0.0.1:${port}/
      health_timeout: 8s
  - id: api
    restart:
      start: node api.js ${api}
      health: http://127.0.0.1:${api}/
`,
    })
    const { code, out } = await up(dir)
    // The web page waits out its health_timeout on the API the recipe starts next: no address verdict.
    expect(code, out).toBe(1)
    expect(out).toContain('not healthy after 8s: HTTP 503')
    expect(out).not.toContain('cannot connect')
  }, 120_000)
})
