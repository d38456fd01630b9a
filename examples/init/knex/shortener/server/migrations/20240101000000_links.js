exports.up = (knex) =>
  knex.schema.createTable("links", (t) => {
    t.increments("id");
    t.string("target").notNullable();
    t.string("address").notNullable().unique();
  });

exports.down = (knex) => knex.schema.dropTable("links");
