const express = require('express')
const settings = require('./lib/settings')

const app = express()
app.get('/', (req, res) => res.send('ok'))
app.listen(settings.http.listen, () => console.log(`listening on ${settings.http.listen}`))
