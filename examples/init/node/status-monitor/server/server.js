const express = require('express')
const { log } = require('../src/util')
const config = require('./config')

const app = express()
app.get('/api/status-page', (req, res) => res.json({ ok: true }))
const port = config.port
app.listen(port, config.hostname, () => log(`Listening on ${port}`))
