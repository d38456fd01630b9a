exports.up = (knex) =>
  knex.schema.createTable('todos', (t) => {
    t.increments()
    t.string('title')
  })
exports.down = (knex) => knex.schema.dropTable('todos')
