const express = require('express')
const Database = require('./Database')

class Server {
  constructor(port) {
    this.port = port
    this.app = express()
    this.app.get('/ping', (req, res) => res.json({ success: true }))
  }

  async start() {
    await Database.init()
    this.app.listen(this.port, () => console.log(`Listening on port ${this.port}`))
  }
}
module.exports = Server
