import { Module } from '@nestjs/common'
import { ArticleController } from './article/article.controller'

@Module({ controllers: [ArticleController] })
export class AppModule {}
