const express = require('express')
const { Sequelize } = require('sequelize')
const config = require('./config/config.js').development

const sequelize = new Sequelize(config)
const app = express()
app.get('/items', async (req, res) => res.json(await sequelize.query('SELECT * FROM Items', { type: 'SELECT' })))
app.listen(process.env.PORT || 8080)
