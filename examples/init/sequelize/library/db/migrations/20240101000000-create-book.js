module.exports = {
  up: (q, S) =>
    q.createTable('Books', {
      id: { type: S.INTEGER, primaryKey: true, autoIncrement: true },
      title: S.STRING,
    }),
  down: (q) => q.dropTable('Books'),
}
