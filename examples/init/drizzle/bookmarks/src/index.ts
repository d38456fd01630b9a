import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono().get('/', (c) => c.text('bookmarks'))
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8787) })
