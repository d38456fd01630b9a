import Fastify from 'fastify'
import { ENV_CONFIG } from './configs/env.config.js'

const app = Fastify()
app.get('/health', async () => ({ ok: true }))
await app.listen({ port: ENV_CONFIG.HTTP_PORT, host: '0.0.0.0' })
