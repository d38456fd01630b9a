const { Pool } = require('pg')

// The board's own database; the compose file leaves the name to this default.
const DATABASE_NAME = process.env.PGDATABASE ?? 'stats_board'

const pool = new Pool({
  host: process.env.DB_HOST,
  port: Number(process.env.DB_PORT),
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  database: DATABASE_NAME,
})

async function migrate() {
  await pool.query('CREATE TABLE IF NOT EXISTS visits (id serial PRIMARY KEY, at timestamptz DEFAULT now())')
}

module.exports = { pool, migrate }
