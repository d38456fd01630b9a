// The members API: GET / lists the members, read from MySQL through Sequelize.
require('dotenv').config()
const express = require('express')
const { Sequelize } = require('sequelize')
const config = require('../config/database.js')[process.env.NODE_ENV || 'development']

const sequelize = new Sequelize(config.database, config.username, config.password, config)
const app = express()

app.get('/', async (_req, res) => {
  try {
    const [rows] = await sequelize.query('SELECT name FROM members ORDER BY id')
    res.json(rows)
  } catch (error) {
    res.status(500).send(error.message)
  }
})

app.listen(Number(process.env.PORT) || 3000, '127.0.0.1')
