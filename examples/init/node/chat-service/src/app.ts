import { feathers } from '@feathersjs/feathers'
import configuration from '@feathersjs/configuration'
import { koa, rest } from '@feathersjs/koa'

export const app = koa(feathers())
app.configure(configuration())
app.configure(rest())
