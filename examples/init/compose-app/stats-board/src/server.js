const express = require('express')
const Redis = require('ioredis')
const { pool, migrate } = require('./db')

if (!process.env.SESSION_SECRET) {
  console.error('SESSION_SECRET is not set')
  process.exit(1)
}

const app = express()
const redis = new Redis(process.env.REDIS_URL)

app.get('/ready', async (_req, res) => {
  await pool.query('SELECT 1')
  await redis.ping()
  res.json({ ready: true })
})

app.get('/', async (_req, res) => {
  const { rows } = await pool.query('INSERT INTO visits DEFAULT VALUES RETURNING id')
  res.send(`visit ${rows[0].id}`)
})

const port = process.env.PORT || 4000
migrate().then(() => app.listen(port, () => console.log(`listening on ${port}`)))
