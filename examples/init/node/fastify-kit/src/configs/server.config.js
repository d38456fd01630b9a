import { ENV_CONFIG } from './env.config.js'

export const SERVER_CONFIG = {
  host: ENV_CONFIG.HTTP_HOST ?? '0.0.0.0',
  port: ENV_CONFIG.HTTP_PORT ?? 3000,
}
