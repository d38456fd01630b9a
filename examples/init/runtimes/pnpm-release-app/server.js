// A small app in the shape of docmost's root: no .nvmrc, no engines, only `packageManager`
// naming a pnpm release that needs a newer node than many machines have.
const http = require('node:http')
const port = Number(process.env.PORT || 3000)
http.createServer((req, res) => res.end('ok')).listen(port, '127.0.0.1')
