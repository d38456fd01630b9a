import { MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, OnModuleInit } from '@nestjs/common';
import config from './mikro-orm.config';

@Module({ imports: [MikroOrmModule.forRoot(config)] })
export class AppModule implements OnModuleInit {
  constructor(private readonly orm: MikroORM) {}

  // The schema is brought up to date every time the app starts.
  async onModuleInit(): Promise<void> {
    await this.orm.getMigrator().up();
  }
}
