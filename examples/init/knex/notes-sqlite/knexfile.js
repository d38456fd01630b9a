module.exports = {
  development: {
    client: 'sqlite3',
    connection: { filename: './database.sqlite' },
    migrations: { directory: './server/migrations' },
    useNullAsDefault: true,
  },
}
