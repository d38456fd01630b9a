const express = require('express')
const fs = require('node:fs')

const app = express()
// The theme the user edits in the UI; dev-init creates it.
app.get('/theme.css', (_req, res) => res.type('css').send(fs.readFileSync('public/theme.css')))
app.listen(process.env.PORT || 5005)
