import { Migration } from '@mikro-orm/migrations';

export class Migration20240301120000 extends Migration {
  async up(): Promise<void> {
    this.addSql('create table `article` (`id` int unsigned not null auto_increment primary key, `title` varchar(255) not null);');
  }
}
