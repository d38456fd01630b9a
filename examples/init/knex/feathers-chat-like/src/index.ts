import { app } from './app'

const port = app.get('port')
app.listen(port).then(() => console.info(`Feathers app listening on http://localhost:${port}`))
