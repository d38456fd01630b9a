import { Migration } from '@mikro-orm/migrations';

export class Migration20240501090000 extends Migration {
  async up() {
    this.addSql('create table "recipe" ("id" serial primary key, "title" varchar(255) not null);');
  }
}
