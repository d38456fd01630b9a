// Checks a Redis server the user names in a monitor (its URL is stored with the monitor).
const { createClient } = require('redis')

class RedisMonitor {
  async check(monitor) {
    const client = createClient({ url: monitor.databaseConnectionString })
    await client.connect()
    const pong = await client.ping()
    await client.quit()
    return pong === 'PONG'
  }
}

module.exports = { RedisMonitor }
