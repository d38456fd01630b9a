import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { Recipe } from './recipe.entity.js';

export default defineConfig({
  host: process.env.DB_HOST || 'localhost',
  port: Number(process.env.DB_PORT) || 5432,
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  dbName: process.env.DB_NAME || 'recipes',
  entities: [Recipe],
  extensions: [Migrator],
  migrations: {
    path: './src/migrations',
  },
});
