import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('pastes', (t) => { t.increments('id'); t.text('body') })
  }
}
