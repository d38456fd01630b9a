const knex = require('knex')(require('../knexfile').development)
require('express')()
  .get('/', async (_, res) => res.json(await knex('notes')))
  .listen(process.env.PORT || 8080)
