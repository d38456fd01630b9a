import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'

// The favourites live in a SQLite file under tmp/ (gitignored), next to the app's other state.
export default defineConfig({
  connection: 'sqlite',
  connections: {
    sqlite: { client: 'better-sqlite3', connection: { filename: app.tmpPath('cookbook.sqlite3') }, useNullAsDefault: true },
  },
})
