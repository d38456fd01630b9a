// An app that makes its schema at boot, for the lost-tables tests: a real Node server on
// PostgreSQL (the `pg` driver), started and restarted by the recipe's `restart` step.
import path from 'node:path'
import { repoRoot, tempRepo } from '../../helpers.js'
import { killServersAfterwards } from '../restart/servers.js'

const pgModule = JSON.stringify(path.join(repoRoot, 'node_modules', 'pg'))

/**
 * In the shape of an Express + Sequelize app: `boot` (statements run on the client `c` before it
 * listens) makes its tables; its health route does not touch the database, its API (any other
 * route) counts the rows of `table`, and answers 500 when the table is gone.
 */
export function appServer(boot: string, table: string): string {
  return `const { Client } = require(${pgModule})
const c = new Client({ connectionString: process.env.DATABASE_URL })
;(async () => {
  await c.connect()
  ${boot}
  require('node:http').createServer(async (req, res) => {
    if (req.url === '/health') return res.end('ok')
    try {
      const { rows } = await c.query('SELECT count(*) AS n FROM ${table}')
      res.end(String(rows[0].n))
    } catch (e) { res.statusCode = 500; res.end(e.message) }
  }).listen(Number(process.argv[2]), '127.0.0.1')
})().catch((e) => { console.error(e.message); process.exit(1) })
`
}

/** A repository of the app on `port`: a database step (no migrate) on TEST_DATABASE_URL, then its restart. */
export function appRepo(server: string, port: number): string {
  const repo = tempRepo({
    'server.js': server,
    'devsetup.yml': `version: 1
env:
  DATABASE_URL: \${TEST_DATABASE_URL}
steps:
  - database:
      url: \${TEST_DATABASE_URL}
  - restart:
      start: node server.js ${port}
      health: http://127.0.0.1:${port}/health
`,
  })
  killServersAfterwards(repo)
  return repo
}
