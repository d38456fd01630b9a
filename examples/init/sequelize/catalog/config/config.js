require('dotenv').config()
const path = require('path')

const dataDir = process.env.DATA_DIR || path.join(__dirname, '..', 'data')

module.exports = {
  development: {
    dialect: process.env.DB_DIALECT || 'sqlite',
    storage: path.join(dataDir, process.env.DB_STORAGE || 'catalog.sqlite'),
    logging: false,
  },
  production: {
    use_env_variable: 'DATABASE_URL',
    dialect: 'postgres',
  },
}
