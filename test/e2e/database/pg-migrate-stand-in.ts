// A stand-in for node-pg-migrate's `up`, for the e2e tests of the database step: it applies the
// .sql files of a folder in order through the DATABASE_URL it is given, and keeps node-pg-migrate's
// own record (`pgmigrations`), which the step's check reads. A real process against a real server.
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { repoRoot } from '../../helpers.js'
import { type PgCluster, startCluster } from './postgres-cluster.js'

const pgModule = JSON.stringify(path.join(repoRoot, 'node_modules', 'pg'))

/**
 * The script's source (CommonJS). `envPath`: it loads the file named after `--envPath` first, as
 * node-pg-migrate does through dotenv (a variable already set wins).
 */
export function pgMigrateScript(folder: string, { envPath = false } = {}): string {
  const loadEnv = envPath
    ? `const file = process.argv[process.argv.indexOf('--envPath') + 1]
for (const line of fs.readFileSync(file, 'utf8').split('\\n')) {
  const m = /^([A-Z_]+)=(.*)$/.exec(line)
  if (m && !(m[1] in process.env)) process.env[m[1]] = m[2]
}
`
    : ''
  return `const fs = require('node:fs'); const { Client } = require(${pgModule})
${loadEnv};(async () => {
  const c = new Client({ connectionString: process.env.DATABASE_URL }); await c.connect()
  await c.query('CREATE TABLE IF NOT EXISTS pgmigrations (name varchar(200) PRIMARY KEY, run_on timestamp)')
  const done = new Set((await c.query('SELECT name FROM pgmigrations')).rows.map((r) => r.name))
  for (const f of fs.readdirSync(${JSON.stringify(folder)}).sort()) {
    if (done.has(f.replace(/\\.sql$/, ''))) continue
    await c.query(fs.readFileSync(${JSON.stringify(`${folder}/`)} + f, 'utf8'))
    await c.query('INSERT INTO pgmigrations (name) VALUES ($1)', [f.replace(/\\.sql$/, '')])
  }
  await c.end()
})().catch((e) => { console.error(e.message); process.exit(1) })`
}

/**
 * A throw-away cluster for one describe block, with a login role `app` that may create databases:
 * `cluster()` is the cluster once beforeAll has run; `exists(db)` asks it whether a database is there.
 */
export function clusterWithAppRole(password: string) {
  let cluster: PgCluster | undefined
  beforeAll(async () => {
    cluster = await startCluster()
    await cluster.sql(`CREATE ROLE app LOGIN CREATEDB PASSWORD '${password}'`)
  })
  afterAll(() => cluster?.destroy())
  return {
    cluster: () => cluster!,
    exists: async (db: string) =>
      (await cluster!.sql(`SELECT 1 FROM pg_database WHERE datname = '${db}'`)).length === 1,
  }
}
