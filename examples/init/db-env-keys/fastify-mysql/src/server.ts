import Fastify from 'fastify'
import env from '@fastify/env'
import knexPlugin, { autoConfig } from './plugins/external/knex.js'

const schema = {
  type: 'object',
  required: ['MYSQL_HOST', 'MYSQL_PORT', 'MYSQL_USER', 'MYSQL_PASSWORD', 'MYSQL_DATABASE'],
  properties: {
    MYSQL_HOST: { type: 'string', default: 'localhost' },
    MYSQL_PORT: { type: 'number', default: 3306 },
    MYSQL_USER: { type: 'string' },
    MYSQL_PASSWORD: { type: 'string' },
    MYSQL_DATABASE: { type: 'string' }
  }
}

const app = Fastify({ logger: true })
await app.register(env, { schema })
await app.register(knexPlugin, autoConfig(app))
app.get('/api/users', async () => app.knex('users').select('id', 'username'))
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
