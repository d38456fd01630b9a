const http = require('node:http')

http.createServer((_req, res) => res.end('chat')).listen(process.env.PORT || 3030)
