import { app } from './app'

const port = app.get('port')
const host = app.get('host')

app.listen(port).then(() => console.log(`Feathers app listening on http://${host}:${port}`))
