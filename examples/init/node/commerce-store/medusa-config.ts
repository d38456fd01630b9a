import { defineConfig, loadEnv } from '@medusajs/framework/utils'

loadEnv(process.env.NODE_ENV || 'development', process.cwd())

module.exports = defineConfig({
  projectConfig: {
    http: { storeCors: process.env.STORE_CORS!, adminCors: process.env.ADMIN_CORS! },
  },
})
