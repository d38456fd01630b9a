import express from 'express'

express()
  .use(express.static('public'))
  .listen(process.env.PORT || 8080)
