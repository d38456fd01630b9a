import express from 'express'
import dotenv from 'dotenv'
import members from './routes/members'

dotenv.config({ path: '.env' })

const app = express()
app.use(`${process.env.API_PREFIX}/members`, members)

const port = process.env.NODE_SERVER_PORT || 3000
app.listen(port, () => console.log(`[server]: Server is running at http://localhost:${port}`))
