import Fastify from 'fastify'

const app = Fastify()
app.get('/api/health', async () => ({ ok: true }))
await app.listen({ port: Number(process.env.PORT ?? 3000) })
