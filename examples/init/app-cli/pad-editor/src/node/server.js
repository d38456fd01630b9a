const http = require('node:http')
const fs = require('node:fs')
const path = require('node:path')

// The admin UI is built into templates/admin by `pnpm run build:pad`; without it /admin answers 500.
const admin = path.join(__dirname, '..', 'templates', 'admin', 'index.html')
http
  .createServer((req, res) => {
    if (req.url === '/admin') return res.end(fs.readFileSync(admin))
    res.end('pad')
  })
  .listen(9011)
