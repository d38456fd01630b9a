import { defineConfig } from 'drizzle-kit'
import { ENV_CONFIG } from '../../src/configs/env.config.js'

export default defineConfig({
  dbCredentials: { url: ENV_CONFIG.DATABASE_URL },
  dialect: 'postgresql',
  out: 'infra/database/migrations',
  schema: 'src/**/*.model.js',
  migrations: { table: '__drizzle_migrations', schema: 'public' },
})
