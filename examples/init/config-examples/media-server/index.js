const server = require('./server/Server')

if (process.argv.includes('--dev')) {
  // The developer's own paths, in a gitignored dev.js.
  const devEnv = require('./dev').config
  process.env.PORT = devEnv.Port
}
server.start(process.env.PORT || 3333)
