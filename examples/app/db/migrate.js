// Stand-in for the app's migration tool (knex, prisma, drizzle, ...): applies db/migrations/*.sql
// to the SQLite file at DATABASE_PATH and records each version in `schema_migrations`, as Rails
// does. `devsetup doctor` compares that record with the files, so this must really write the
// database. It uses node:sqlite (Node 22.5+) where Node has it, otherwise the sqlite3 command.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'

const database = process.env.DATABASE_PATH
if (!database || !existsSync(database)) {
  console.error(`no database at ${database ?? '(DATABASE_PATH unset)'}: run devsetup first`)
  process.exit(1)
}

const sqlite = process.getBuiltinModule?.('node:sqlite')
const db = sqlite ? new sqlite.DatabaseSync(database) : undefined
/** Runs SQL; returns the first column of each row. */
function run(sql) {
  if (db)
    return db
      .prepare(sql)
      .all()
      .map((row) => Object.values(row)[0])
  const out = execFileSync('sqlite3', ['-init', '/dev/null', database, sql], { encoding: 'utf8' })
  return out.split('\n').filter(Boolean)
}

run('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY)')
const applied = new Set(run('SELECT version FROM schema_migrations'))
const folder = new URL('migrations/', import.meta.url)
const pending = readdirSync(folder)
  .filter((file) => file.endsWith('.sql') && !applied.has(file.split('_')[0]))
  .sort()
for (const file of pending) {
  const version = file.split('_')[0]
  if (db) db.exec(`BEGIN; ${readFileSync(new URL(file, folder), 'utf8')}; COMMIT;`)
  else run(`BEGIN; ${readFileSync(new URL(file, folder), 'utf8')}; COMMIT;`)
  run(`INSERT INTO schema_migrations (version) VALUES ('${version}')`)
  console.log(`applied ${file}`)
}
if (pending.length === 0) console.log('no pending migrations')
db?.close()
