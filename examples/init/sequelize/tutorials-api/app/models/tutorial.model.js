module.exports = (sequelize, Sequelize) =>
  sequelize.define('tutorial', {
    title: { type: Sequelize.STRING },
    description: { type: Sequelize.STRING },
    published: { type: Sequelize.BOOLEAN, defaultValue: false },
  })
