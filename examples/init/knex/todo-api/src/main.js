require('dotenv').config()
const app = require('express')()
app.get('/', (_, res) => res.json({ ok: true }))
app.listen(process.env.APP_PORT)
