// The orders API: GET / lists the orders, so it answers only when the database is migrated.
const http = require('node:http')
const knex = require('knex')(require('./knexfile').development)

http
  .createServer(async (_, res) => {
    try {
      const orders = await knex('orders').select('item')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(orders))
    } catch (error) {
      res.writeHead(500).end(String(error.message))
    }
  })
  .listen(Number(process.env.PORT || 3000), '127.0.0.1')
