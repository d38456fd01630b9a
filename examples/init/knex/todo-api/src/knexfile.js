require('dotenv').config()
const path = require('path')
const env = process.env

module.exports = {
  [env.APP_ENV]: {
    client: process?.env?.DB_DRIVER,
    connection: {
      host: env.DB_HOST,
      port: env.DB_PORT,
      user: env.DB_USER,
      password: env.DB_PASS,
      database: env.DB_NAME,
    },
    migrations: {
      tableName: 'migrations',
      directory: path.join(__dirname, 'repository/postgres/migrations'),
    },
    seeds: { directory: path.join(__dirname, 'repository/postgres/seeders') },
  },
}
