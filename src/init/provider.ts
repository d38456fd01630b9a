// What one framework or tool teaches `init`, the way railpack's providers do: it *detects* itself
// cheaply from files, then *contributes* steps, database facts, the dev server and notes. The
// registry (providers/index.ts) is ordered: where two providers offer the same thing (migrate
// commands, the dev server), the earlier one wins; database sources carry their own rank.
import type { Engine } from './database-env.js'
import type { EnvExample } from './env-example.js'
import type { RepoProbe } from './repo.js'

export interface DetectedStep {
  /** 'runtime:node', 'dependencies', 'database', ...: one step per slot. */
  slot: string
  type: string
  /** The value under the type key; undefined writes the bare form (`- dependencies`). */
  config: unknown
  /** The files that led to it, shown to the user and written as the step's comment. */
  why: string
  /** A flat step (`run`): the whole item, written as it is. */
  flat?: Record<string, unknown>
  /** The app's folder, when it is not the repository's root (`cwd:` on the step). */
  cwd?: string
  /** Ordered in the recipe as this type is: a config file's copy goes with `dotenv`, before the installs. */
  orderAs?: string
}

export interface InitContext {
  repo: RepoProbe
  /** The example env file the repository ships, when it has one. */
  example: EnvExample | undefined
  /** Whether a Docker engine runs here (not only its CLI). Passed in, so a snapshot of init's answer does not follow the machine. */
  dockerRuns(): boolean
}

/** Where a provider found the app's database. */
export interface DatabaseSource {
  engine: Engine
  /** A literal URL, or undefined when only the engine is known. */
  url?: string
  /**
   * The same URL with `${KEY}` for each part the app reads from a key of the example env
   * (`mysql://${MYSQL_USER}@${MYSQL_HOST}:…`): written when the recipe has a dotenv step, so the
   * database step checks the database the app's .env names, not the example's.
   */
  urlRef?: string
  why: string
  /** Lower wins: the most explicit source (a SQLite file an ORM names, the example env) first. */
  rank: number
  /** The app reads DATABASE_URL itself, so the recipe sets it for every step. */
  viaEnv?: boolean
  /** The variable the app reads its URL from, which the new .env must get (`set:`). */
  setVar?: string
  /** Keys the new .env needs with this machine's values (a compose host → 127.0.0.1). */
  set?: Record<string, string>
  /** When this source wins, the app reads DB_HOST/DB_USER/... (always, or only when its URL is usable). */
  splitVars?: 'always' | 'with-url'
  /** A command that starts the server (`docker compose up -d db`). */
  start?: string
  /**
   * Not the app's own config (a docker compose service): its database is taken only when nothing
   * of the app's own names one, or the app reads the URL devsetup sets.
   */
  fallbackOnly?: boolean
  /** Where the app computes what init could not read (`server/Database.js:234 storage: this.dbPath`). */
  computedAt?: string
}

/** migrate / seed / migrations (and the tool's table, when renamed) for the database step. */
export type DatabaseCommands = Partial<
  Record<'load' | 'migrate' | 'migrations' | 'migrations_table' | 'seed', string>
>

export interface Contribution {
  steps?: DetectedStep[]
  database?: DatabaseSource
  databaseCommands?: DatabaseCommands
  /** The dev server's restart step (and a build before it); the first provider's wins. */
  devServer?: DetectedStep[]
  notes?: string[]
  /**
   * The app's own setup creates and fills its database (NodeBB's `./nodebb setup` from NODEBB_DB):
   * why, for the note. No `database` step is written then — a compose file's database service
   * the app does not use that way would be a server and a database nobody reads.
   */
  ownsDatabase?: string
}

export interface Provider {
  name: string
  detect(ctx: InitContext): boolean
  contribute(ctx: InitContext): Contribution
}

/** One provider, typed (the registry lists them in order). */
export function defineProvider(provider: Provider): Provider {
  return provider
}
