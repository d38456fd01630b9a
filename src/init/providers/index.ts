// The init providers, in order. Where two offer the same thing, the earlier wins: a framework's
// migrate commands and dev server before an ORM's, an ORM's before the bare package scripts,
// a Procfile only when nothing else starts the app. Adding a framework is one file and one line.
import type { Provider } from '../provider.js'
import { adonis } from './adonis.js'
import { appCli } from './app-cli.js'
import { binSetup } from './bin-setup.js'
import { brewfile } from './brewfile.js'
import { cleanup } from './cleanup.js'
import { compose } from './compose.js'
import { composeAppProvider } from './compose-app.js'
import { configExamples } from './config-examples.js'
import { dbEnvKeys } from './db-env-keys.js'
import { dependencies } from './dependencies.js'
import { django } from './django.js'
import { dotenv } from './dotenv.js'
import { drizzle } from './drizzle.js'
import { go } from './go.js'
import { golangMigrate, goose } from './go-migrate.js'
import { knex } from './knex.js'
import { kysely } from './kysely.js'
import { medusa } from './medusa.js'
import { mikroOrm } from './mikro-orm.js'
import { nativeGems } from './native-gems.js'
import { node } from './node.js'
import { nodePgMigrate } from './node-pg-migrate.js'
import { prisma } from './prisma.js'
import { procfile } from './procfile.js'
import { rails } from './rails.js'
import { railsCredentials } from './rails-credentials.js'
import { runtimes } from './runtimes.js'
import { sequelize } from './sequelize.js'
import { typeorm } from './typeorm.js'

export const providers: readonly Provider[] = [
  brewfile,
  nativeGems,
  runtimes,
  dotenv,
  configExamples,
  dependencies,
  rails,
  railsCredentials,
  medusa,
  django,
  golangMigrate,
  goose,
  prisma,
  drizzle,
  knex,
  sequelize,
  typeorm,
  mikroOrm,
  adonis,
  kysely,
  nodePgMigrate,
  dbEnvKeys,
  node,
  go,
  compose,
  composeAppProvider,
  cleanup,
  appCli,
  binSetup,
  procfile,
]
