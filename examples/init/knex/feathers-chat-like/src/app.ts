import { feathers } from '@feathersjs/feathers'
import configuration from '@feathersjs/configuration'
import { koa, rest, bodyParser } from '@feathersjs/koa'
import { knex } from 'knex'

export const app = koa(feathers())
app.configure(configuration())
app.use(bodyParser())
app.configure(rest())
app.set('sqliteClient', knex(app.get('sqlite')))
