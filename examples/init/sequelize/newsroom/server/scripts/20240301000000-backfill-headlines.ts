import { Article } from '../models'

for (const article of await Article.findAll()) await article.update({ headline: article.title })
