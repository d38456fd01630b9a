export const up = (knex) =>
  knex.schema.createTable("monitors", (t) => {
    t.increments("id");
    t.string("url").notNullable();
  });
export const down = (knex) => knex.schema.dropTable("monitors");
