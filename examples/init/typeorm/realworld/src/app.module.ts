import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

// TypeOrmModule.forRoot() without options reads ormconfig.json
@Module({ imports: [TypeOrmModule.forRoot()] })
export class ApplicationModule {}
