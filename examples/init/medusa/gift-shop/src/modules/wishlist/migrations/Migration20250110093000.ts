import { Migration } from '@mikro-orm/migrations'

export class Migration20250110093000 extends Migration {
  async up(): Promise<void> {
    this.addSql('create table if not exists "wish" ("id" text not null, "product_id" text not null, constraint "wish_pkey" primary key ("id"));')
  }
}
