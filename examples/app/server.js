// The example app: a tiny HTTP server. /health answers 200 when the app is set up.
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const port = Number(process.env.PORT ?? 4310)
const ready = () => existsSync('.env') && existsSync('public/app.css')

createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(ready() ? 200 : 503).end(ready() ? 'ok\n' : 'not set up\n')
    return
  }
  res.writeHead(200, { 'content-type': 'text/css' }).end(readFileSync('public/app.css'))
}).listen(port, '127.0.0.1', () => console.log(`example app on http://127.0.0.1:${port}`))
