const express = require('express')
const api = express()
api.use('/api/apps', require('./routes/apps'))
module.exports = api
