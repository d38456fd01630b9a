import { Module } from '@nestjs/common'
import { HealthController } from './health/health.controller'

@Module({ controllers: [HealthController] })
export class AppModule {}
