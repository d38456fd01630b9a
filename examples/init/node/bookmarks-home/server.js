require('dotenv').config()
const http = require('http')
const api = require('./api')

const PORT = process.env.PORT || 5005
http.createServer(api).listen(PORT, () => console.log(`Server is running on port ${PORT}`))
