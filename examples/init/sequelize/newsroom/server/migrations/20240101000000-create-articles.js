module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('articles', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },
      title: Sequelize.STRING,
      headline: Sequelize.STRING,
    })
  },
  async down(queryInterface) {
    await queryInterface.dropTable('articles')
  },
}
