// Stand-in for the app's migration tool (knex, prisma, drizzle, ...), so the demo needs nothing
// but Node: it "applies" db/migrations/*.sql by recording each in a journal beside the database.
// A real app would run them against DATABASE_PATH with its SQLite driver. devsetup runs this
// with DATABASE_PATH set to the database file it made sure exists.
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs'

const database = process.env.DATABASE_PATH
if (!database || !existsSync(database)) {
  console.error(`no database at ${database ?? '(DATABASE_PATH unset)'}: run devsetup first`)
  process.exit(1)
}
const journal = `${database}.migrations`
const applied = new Set(existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter(Boolean) : [])
const pending = readdirSync(new URL('migrations/', import.meta.url))
  .filter((file) => file.endsWith('.sql') && !applied.has(file))
  .sort()
for (const file of pending) {
  appendFileSync(journal, `${file}\n`)
  console.log(`applied ${file}`)
}
if (pending.length === 0) console.log('no pending migrations')
