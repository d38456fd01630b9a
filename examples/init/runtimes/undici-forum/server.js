const express = require('express')
const { fetch } = require('undici')

const app = express()
app.get('/', async (_req, res) => res.send('forum'))
app.listen(process.env.PORT || 4567)
