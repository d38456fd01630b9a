const { DataTypes } = require('sequelize')

module.exports = (sequelize) =>
  sequelize.define('musician', { name: DataTypes.STRING, instrument: DataTypes.STRING })
