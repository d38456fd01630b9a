const path = require('node:path')

// The committed development settings, found from this file whatever folder the process starts in.
function loadSettings() {
  process.loadEnvFile(path.join(__dirname, '../configs/.env'))
  return { port: Number(process.env.API_PORT || 4300), db: process.env.STOCK_DB }
}

module.exports = { loadSettings }
