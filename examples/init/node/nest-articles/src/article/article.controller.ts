import { Controller, Get } from '@nestjs/common'

@Controller('articles')
export class ArticleController {
  @Get()
  findAll() {
    return { articles: [], articlesCount: 0 }
  }
}
