exports.up = (knex) => knex.schema.createTable('products', (t) => { t.increments(); t.string('name') })
exports.down = (knex) => knex.schema.dropTable('products')
