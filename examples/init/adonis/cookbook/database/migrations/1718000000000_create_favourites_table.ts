import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'favourites'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('recipe').notNullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
