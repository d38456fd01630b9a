// The `database` step from what the providers found: the engine and URL of the most explicit
// source (lowest rank), the migrate / seed commands of the first provider that knows them, and the
// values the new .env needs for this machine (the dotenv step's `set:`).
import { type Engine, localUrl } from './database-env.js'
import type { DatabaseCommands, DatabaseSource, DetectedStep } from './provider.js'
import type { RepoProbe } from './repo.js'

export interface DetectedDatabase {
  /** Undefined when init could not tell which database the app uses: the notes say why. */
  step: DetectedStep | undefined
  env: Record<string, string>
  notes: string[]
  /** Keys the new .env needs with this machine's values (the dotenv step's `set:`). */
  set: Record<string, string>
  /** The app reads DATABASE_HOST/DB_USER/...: a template's DATABASE_URL would be a second, unused source. */
  splitVars: boolean
  /** The step's URL is `${KEY}` references to the dotenv step's file: no recipe-level DATABASE_URL either. */
  fromFile?: boolean
}

const engineNames: Record<Engine, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL/MariaDB',
  sqlite: 'SQLite',
}

export function assembleDatabase(
  repo: RepoProbe,
  sources: DatabaseSource[],
  commands: DatabaseCommands,
  exampleFile: string | undefined,
): DetectedDatabase | undefined {
  // A stable sort: sources of one rank keep the providers' order.
  const found = [...sources].sort((a, b) => a.rank - b.rank)
  if (found.length === 0) return undefined
  const first = found[0]!
  const engine = first.engine
  const own = found.filter((f) => !f.fallbackOnly && f.engine === engine)
  // The app is told the URL devsetup chooses: it reads DATABASE_URL, or the variable the new .env gets.
  const toldByUs = found.some((f) => f.viaEnv || f.setVar)
  // A compose service's database is a fallback: the app's own config, when it names the database
  // somewhere init could not read, beats it (a compose MYSQL_DATABASE nobody connects to).
  // Only a compose service names a database, and the app is not told ours: that is the app's
  // database only if something of the app connects to one (etherpad's compose runs PostgreSQL
  // for its container, while the app itself writes var/dirty.db through ueberdb2).
  if (own.length === 0 && !toldByUs && !connectsTo(repo, engine))
    return {
      step: undefined,
      env: {},
      notes: [
        `database: ${first.why} runs ${engineNames[engine]}, but none of the app's dependencies connects to one: no database step written`,
      ],
      set: {},
      splitVars: false,
    }
  const withUrl =
    own.find((f) => f.url !== undefined) ??
    (own.length === 0 || toldByUs
      ? found.find((f) => f.fallbackOnly && f.url !== undefined && f.engine === engine)
      : undefined)
  const fallback = fallbackUrl(repo, engine)
  // A URL built from other variables (`postgres://app:${DB_PASSWORD}@...`) cannot be written into
  // the recipe: `${VAR:-default}` ends at the first `}`, and `$` would start an interpolation.
  const usable = withUrl?.url !== undefined && !/[$}]/.test(withUrl.url)
  // Init's own database (`<folder>_development`) is real only when the app is told it; else the
  // app connects to a database init could not read, and a step for another one would be green
  // while the app's is gone. No step then (one `up` could never meet would fail every `up`): a note.
  if (!usable && !toldByUs) return unknownDatabase(own[0] ?? first, found)
  // A compose host (`database:5432`, from database.yml's ERB with the example's values) is this
  // machine once devsetup runs the server: the .env gets 127.0.0.1 for it (compose-hosts.ts).
  const url = usable ? localUrl(withUrl!.url!) : fallback
  const placeholder = found.find((f) => f.setVar)?.setVar
  // Without a URL the recipe's DATABASE_URL (from the shell, or the default) is the one source;
  // an app that reads another variable gets the default through the dotenv step's `set:`.
  const viaEnv = found.some((f) => f.viaEnv)
  // With a dotenv step the app reads its database from .env, and so does the step: `${KEY}`
  // references to the keys the URL is built from (the value there, else the step's `set:`, else
  // the example's), so a database named in .env is the one `doctor` checks. A literal (today's
  // form) where no key gives the URL: no dotenv step, or a part the example does not hold.
  const ref =
    exampleFile === undefined
      ? undefined
      : placeholder
        ? `\${${placeholder}}`
        : usable
          ? withUrl!.urlRef
          : undefined
  // A SQLite file the app names itself is written as `path:` (below), which a URL's key cannot give.
  const asPath = engine === 'sqlite' && !viaEnv && /^sqlite3?:/.test(url)
  const fromFile =
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the recipe's ${VAR} syntax
    ref !== undefined && ref !== url && !asPath && (!viaEnv || ref === '${DATABASE_URL}')
  const notes = placeholder
    ? [
        `${placeholder} in ${exampleFile} has no URL: the new .env gets ${readable(url)} (the dotenv step's \`set:\`)`,
      ]
    : !withUrl
      ? [`database URL not found: using ${fallback} (change DATABASE_URL in the recipe)`]
      : usable
        ? []
        : [
            `${withUrl.why} refers to other variables (${readable(withUrl.url!)}): using ${fallback} as the default ` +
              '(set DATABASE_URL, or change it in the recipe)',
          ]

  if (fromFile) {
    const keys = [...ref!.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1])
    notes.push(
      `database: its url reads ${keys.join(', ')} from .env (the dotenv step's file) as the app does, so the database named there is the one \`doctor\` checks`,
    )
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the recipe's ${VAR} syntax
  const config: Record<string, unknown> = { engine, url: viaEnv ? '${DATABASE_URL}' : fromFile ? ref : url }
  // A SQLite file the app names itself: `path:`, so no DATABASE_URL reaches its commands (Rails
  // would take `sqlite:` for an adapter name).
  if (asPath) {
    delete config.url
    config.path = url.replace(/^sqlite3?:(\/\/)?/, '')
  }
  const starter = found.find((f) => f.start && f.engine === engine)
  const start = starter?.start
  if (start && engine !== 'sqlite') config.start = start
  // A migrations folder with no command that applies it (TypeORM without the project's own
  // script) is no step `validate` accepts: the folder is left out, and the note says what to add.
  const { migrations, ...applied } = commands
  Object.assign(config, applied.migrate ? commands : applied)
  if (migrations && !applied.migrate)
    notes.push(
      `${migrations.replace(/\/\*\*$/, '')} holds migrations, but no command that applies them was found: add \`migrate:\` (and \`migrations: ${migrations}\`) to the database step`,
    )
  return {
    step: {
      slot: 'database',
      type: 'database',
      config,
      why: found
        // A compose service whose database was not taken is no reason for this step.
        .filter((f) => !f.fallbackOnly || f === withUrl || (f === starter && engine !== 'sqlite'))
        .map((f) => f.why)
        .join(', '),
    },
    env: viaEnv && !fromFile ? { DATABASE_URL: `\${DATABASE_URL:-${url}}` } : {},
    notes,
    set: {
      ...Object.assign({}, ...found.map((f) => f.set ?? {})),
      ...Object.fromEntries(found.filter((f) => f.setVar).map((f) => [f.setVar, url])),
    },
    splitVars:
      first.splitVars === 'always' || placeholder !== undefined || (first.splitVars === 'with-url' && usable),
    fromFile,
  }
}

/** No step: what the app uses, and where it computes what init could not read. */
function unknownDatabase(source: DatabaseSource, found: DatabaseSource[]): DetectedDatabase {
  const at = source.computedAt ? ` at ${source.computedAt}` : ''
  const compose = found.find((f) => f.fallbackOnly && f.url && f !== source)
  const what =
    source.engine === 'sqlite'
      ? `its file is computed${at}: add \`path:\` to a database step yourself`
      : `it names its database where init could not read it${at}: add a database step with its \`url:\` yourself` +
        (compose
          ? ` (${compose.why} names ${readable(compose.url!)}, which the app's own config does not read)`
          : '')
  return {
    step: undefined,
    env: {},
    notes: [
      `database: the app uses ${engineNames[source.engine]} (${source.why}), but ${what}; no database step written`,
    ],
    set: {},
    splitVars: false,
  }
}

function fallbackUrl(repo: RepoProbe, engine: Engine): string {
  const name = repo.root
    .split(/[\\/]/)
    .pop()!
    .replace(/[^A-Za-z0-9_]/g, '_')
  return {
    postgres: `postgres://localhost:5432/${name}_development`,
    mysql: `mysql://root@localhost:3306/${name}_development`,
    sqlite: 'sqlite:db/development.sqlite3',
  }[engine]
}

/** A URL as a person reads it: `${DB_USER}` rather than `%24%7BDB_USER%7D`. */
function readable(url: string): string {
  try {
    return decodeURIComponent(url)
  } catch {
    return url
  }
}

// A driver or ORM of the app's own that connects to a database of that engine.
const drivers: Record<Engine, RegExp> = {
  postgres:
    /^(pg|postgres|pg-promise|slonik|knex|sequelize|typeorm|@mikro-orm\/postgresql|drizzle-orm|kysely|@prisma\/client|prisma)$/,
  mysql:
    /^(mysql|mysql2|mariadb|knex|sequelize|typeorm|@mikro-orm\/(mysql|mariadb)|drizzle-orm|kysely|@prisma\/client|prisma)$/,
  sqlite:
    /^(sqlite3|better-sqlite3|knex|sequelize|typeorm|@mikro-orm\/sqlite|drizzle-orm|kysely|@prisma\/client|prisma)$/,
}
const gems: Record<Engine, RegExp> = {
  postgres: /^\s*gem\s+['"]pg['"]/m,
  mysql: /^\s*gem\s+['"](mysql2|trilogy)['"]/m,
  sqlite: /^\s*gem\s+['"]sqlite3['"]/m,
}

function connectsTo(repo: RepoProbe, engine: Engine): boolean {
  const node = Object.keys(repo.nodeDependencies())
  if (node.some((name) => drivers[engine].test(name))) return true
  if (gems[engine].test(repo.read('Gemfile') ?? '')) return true
  // Python, Go, PHP, Elixir: no dependency reading here yet, so their compose database stays.
  return node.length === 0 && !repo.has('Gemfile')
}
