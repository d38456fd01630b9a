import dotenv from 'dotenv'
import express from 'express'
import pg from 'pg'

// npm runs this in apps/api: the workspace's one .env is at the root.
dotenv.config({ path: '../../.env' })

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
const app = express()

app.get('/health', async (_req, res) => {
  await pool.query('SELECT 1 FROM orders LIMIT 1')
  res.json({ ok: true })
})

app.get('/orders', async (_req, res) => {
  const { rows } = await pool.query('SELECT * FROM orders')
  res.json(rows)
})

app.listen(process.env.PORT || 4000)
