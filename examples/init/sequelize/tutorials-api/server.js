// The tutorials API: GET / lists the tutorials, so it answers only when the database exists and
// sync() has built the table; POST /api/tutorials adds one.
require('dotenv').config()
const express = require('express')
const db = require('./app/models')

const app = express()
app.use(express.json())

// No migrations: the tables are created at boot when missing.
db.sequelize.sync()

app.get('/', async (_req, res) => {
  try {
    const tutorials = await db.tutorials.findAll({ attributes: ['title'], order: [['id', 'ASC']] })
    res.json(tutorials)
  } catch (error) {
    res.status(500).send(String(error.message))
  }
})

app.post('/api/tutorials', async (req, res) => {
  res.status(201).json(await db.tutorials.create({ title: req.body.title }))
})

const PORT = process.env.PORT || 3000
app.listen(PORT, '127.0.0.1', () => console.log(`Server is running on port ${PORT}.`))
