const express = require('express')
const sequelize = require('./db')

const app = express()
app.get('/musicians', async (_req, res) => res.json(await sequelize.models.musician.findAll()))

const PORT = 8081
app.listen(PORT, () => console.log(`listening on ${PORT}`))
