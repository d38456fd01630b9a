require('dotenv').config()
require('express')()
  .get('/', (_, res) => res.send('library'))
  .listen(process.env.PORT)
