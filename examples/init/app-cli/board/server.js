// The board's server: reads config.json (which `./board setup` writes), writes its pidfile.
const fs = require('node:fs')
const http = require('node:http')
const markdown = require('board-markdown')
const paths = require('./src/paths')

const config = JSON.parse(fs.readFileSync(paths.config, 'utf8'))
const port = Number(new URL(config.url).port) || config.port || 4680

http
  .createServer((req, res) => {
    // /ping answers only while the config (the board's data) is there.
    if (req.url === '/ping') return res.end(fs.existsSync(paths.config) ? 'pong' : '500')
    res.end(markdown(`board for **${config.admin}**`))
  })
  .listen(port, '127.0.0.1', () => fs.writeFileSync(paths.pidfile, String(process.pid)))
