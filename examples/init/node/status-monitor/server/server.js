// A self-hosted status page: it checks other people's services. Redis is one kind of service it
// checks (monitor-types/redis.js), not a server it needs itself.
const express = require('express')
const { RedisMonitor } = require('./monitor-types/redis')

const app = express()
const monitorTypes = { redis: new RedisMonitor() }

app.get('/api/health', (req, res) => res.json({ ok: true, types: Object.keys(monitorTypes) }))

app.listen(process.env.PORT || 3001)
