exports.seed = (knex) => knex('todos').insert([{ title: 'first' }])
