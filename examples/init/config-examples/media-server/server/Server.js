const express = require('express')

module.exports.start = (port) => {
  const app = express()
  app.get('/ping', (_req, res) => res.json({ success: true }))
  app.listen(port)
}
