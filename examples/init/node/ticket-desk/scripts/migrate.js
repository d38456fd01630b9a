// Applies migrations/*.sql in order, recording each in schema_migrations.
import { readdirSync, readFileSync } from 'node:fs'
import pg from 'pg'

const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
await client.connect()
await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY)')
for (const file of readdirSync('migrations').sort()) {
  const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [file])
  if (done.rowCount) continue
  await client.query(readFileSync(`migrations/${file}`, 'utf8'))
  await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file])
}
await client.end()
