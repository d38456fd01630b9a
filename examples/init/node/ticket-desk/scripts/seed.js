// Demo tickets for a development database. It empties the table first, so it asks for consent.
import pg from 'pg'

if (process.env.ALLOW_DEMO_SEED !== 'yes') {
  console.error('Refusing to seed: set ALLOW_DEMO_SEED=yes (development databases only).')
  process.exit(1)
}

const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
await client.connect()
await client.query('DELETE FROM tickets')
await client.query("INSERT INTO tickets (title) VALUES ('Printer on fire'), ('VPN drops hourly')")
await client.end()
