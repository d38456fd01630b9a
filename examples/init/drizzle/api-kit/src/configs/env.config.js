import dotenv from 'dotenv'

dotenv.config({ path: 'configs/.env' })
export const ENV_CONFIG = { DATABASE_URL: process.env.DATABASE_URL, HTTP_PORT: Number(process.env.HTTP_PORT) }
