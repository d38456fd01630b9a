const http = require('node:http')
const { loadSettings } = require('./settings')

const settings = loadSettings()

http
  .createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ stock: settings.db }))
  })
  .listen(settings.port, '127.0.0.1')
