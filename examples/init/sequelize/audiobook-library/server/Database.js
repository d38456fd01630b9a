const Path = require('path')
const { Sequelize } = require('sequelize')

class Database {
  constructor() {
    this.sequelize = null
    this.dbPath = null
  }

  async init() {
    this.dbPath = Path.join(global.ConfigPath, 'library.sqlite')
    this.sequelize = new Sequelize({
      dialect: 'sqlite',
      storage: this.dbPath,
      logging: false
    })
    await this.sequelize.authenticate()
    await this.sequelize.sync()
  }
}
module.exports = new Database()
