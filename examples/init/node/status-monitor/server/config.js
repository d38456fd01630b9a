const args = require('./args')(process.argv)

// The first of the command line, the env and the built-in default that is a number.
const port = [args.port, process.env.MONITOR_PORT, process.env.PORT, 3001]
  .map((value) => parseInt(value))
  .find((value) => !isNaN(value))

module.exports = { port, hostname: args.host || process.env.MONITOR_HOST }
