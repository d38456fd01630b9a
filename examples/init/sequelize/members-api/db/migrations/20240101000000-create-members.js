module.exports = {
  up: (queryInterface, Sequelize) =>
    queryInterface.createTable('members', {
      id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true },
      name: { type: Sequelize.STRING, allowNull: false },
    }),
  down: (queryInterface) => queryInterface.dropTable('members'),
}
