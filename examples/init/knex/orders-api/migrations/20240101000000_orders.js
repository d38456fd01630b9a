exports.up = (knex) =>
  knex.schema.createTable('orders', (t) => {
    t.increments()
    t.string('item')
  })
exports.down = (knex) => knex.schema.dropTable('orders')
