exports.up = (knex) =>
  knex.schema.createTable('notes', (t) => {
    t.increments()
    t.text('body')
  })
exports.down = (knex) => knex.schema.dropTable('notes')
