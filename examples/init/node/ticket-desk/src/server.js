import express from 'express'
import pg from 'pg'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
const app = express()
app.get('/health', (_req, res) => res.send('ok'))
app.get('/tickets', async (_req, res) => res.json((await pool.query('SELECT * FROM tickets')).rows))
app.listen(process.env.PORT || 4100)
