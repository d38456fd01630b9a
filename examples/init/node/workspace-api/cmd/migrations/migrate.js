// Applies migrations/*.sql in order, once each, recorded in schema_migrations.
import { readdirSync, readFileSync } from 'node:fs'
import dotenv from 'dotenv'
import pg from 'pg'

dotenv.config({ path: '../../.env' })

const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
await client.connect()
await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY)')
const done = new Set((await client.query('SELECT name FROM schema_migrations')).rows.map((r) => r.name))
for (const file of readdirSync(new URL('./migrations', import.meta.url)).sort()) {
  if (done.has(file)) continue
  await client.query(readFileSync(new URL(`./migrations/${file}`, import.meta.url), 'utf8'))
  await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file])
}
await client.end()
