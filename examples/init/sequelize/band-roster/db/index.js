// One Sequelize instance for the whole app; no migrations: db/setup.js builds the tables.
const { Sequelize } = require('sequelize')

// A server database would come from the environment:
// const sequelize = new Sequelize(process.env.ROSTER_DATABASE_URL)
const sequelize = new Sequelize({
  dialect: 'sqlite',
  storage: 'db/roster.sqlite',
  logging: false,
})

require('./models/musician')(sequelize)

module.exports = sequelize
