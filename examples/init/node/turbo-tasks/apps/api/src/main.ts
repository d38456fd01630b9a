import { NestFactory } from '@nestjs/core'
import { AppModule } from './app.module'

async function bootstrap() {
  const app = await NestFactory.create(AppModule)
  // The UI's vite dev server proxies /api here.
  const apiPort = process.env.API_PORT || 6100
  await app.listen(apiPort, '0.0.0.0')
}
bootstrap()
