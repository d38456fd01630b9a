const path = require('path')
const Server = require('./server/Server')

// Where the library keeps its database and settings: CONFIG_PATH, else ./config.
global.ConfigPath = path.resolve(process.env.CONFIG_PATH || 'config')
const PORT = process.env.PORT || 3333
new Server(PORT).start()
