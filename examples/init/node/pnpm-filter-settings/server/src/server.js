const http = require('node:http')
const settings = require('./settings')
const { routes } = require('./http/routes')

http.createServer(routes).listen(settings.port, () => console.log(`listening on ${settings.port}`))
