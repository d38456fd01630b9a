require('express')()
  .get('/', (_, res) => res.send('ok'))
  .listen(process.env.PORT || 3000)
