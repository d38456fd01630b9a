module.exports = {
  up: (queryInterface) => queryInterface.bulkInsert('members', [{ name: 'Ada' }, { name: 'Grace' }]),
  down: (queryInterface) => queryInterface.bulkDelete('members', null, {}),
}
