exports.seed = async (knex) => {
  await knex('orders').insert([{ item: 'book' }])
}
