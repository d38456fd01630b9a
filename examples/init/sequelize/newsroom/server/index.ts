import Koa from 'koa'

const app = new Koa()
app.use((ctx) => {
  ctx.body = 'newsroom'
})
app.listen(Number(process.env.PORT ?? 3100))
