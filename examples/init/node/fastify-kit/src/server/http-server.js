import Fastify from 'fastify'

export async function startServer({ host, port }) {
  const fastify = Fastify({ logger: true })
  fastify.get('/', async () => ({ name: 'fastify-kit' }))
  await fastify.listen({ host, port })
  return fastify
}
