module.exports = {
  up: (queryInterface, Sequelize) =>
    queryInterface.createTable('Items', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: Sequelize.STRING, allowNull: false },
    }),
  down: (queryInterface) => queryInterface.dropTable('Items'),
}
