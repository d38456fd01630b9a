// Stand-in for the app's seed script: devsetup runs it only for a database it has just created,
// never for one that already existed, so it may assume an empty database.
import { existsSync, writeFileSync } from 'node:fs'

const database = process.env.DATABASE_PATH
if (!database || !existsSync(database)) {
  console.error(`no database at ${database ?? '(DATABASE_PATH unset)'}: run devsetup first`)
  process.exit(1)
}
const notes = ['Read the README', 'Run npm start', 'Open http://127.0.0.1:4310/health']
writeFileSync(`${database}.seed.json`, `${JSON.stringify(notes, null, 2)}\n`, { flag: 'wx' })
console.log(`seeded ${notes.length} notes`)
