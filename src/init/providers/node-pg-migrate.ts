// node-pg-migrate, read the way it reads itself: the package script that runs `node-pg-migrate up`,
// its folder (`-m`/`--migrations-dir`, default migrations/), its table (`-t`/`--migrations-table`,
// default pgmigrations, which the database check reads), and the database from the variable it
// takes the URL from (DATABASE_URL, or `--database-url-var`) in the env file it is told to load
// (`--envPath`, default .env), with that file's `$VAR`s expanded as dotenv-expand does.
import { localUrl, resolveVars } from '../database-env.js'
import { type DatabaseSource, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'
import { nodeRunner } from './node.js'

/** The script that applies migrations: `node-pg-migrate … up`, not `create`, `down` or a dry run. */
function upScript(repo: RepoProbe): { name: string; text: string } | undefined {
  const scripts = repo.nodeScripts()
  const name = Object.keys(scripts).find((n) => {
    const text = scripts[n]!
    return (
      /\bnode-pg-migrate\b/.test(text) && /\bup\b/.test(text) && !/--dry-run|\bdown\b|\bcreate\b/.test(text)
    )
  })
  return name ? { name, text: scripts[name]! } : undefined
}

const option = (text: string | undefined, names: string) =>
  text
    ? new RegExp(`(?:^|\\s)(?:${names})[ =](\\S+)`).exec(text)?.[1]?.replace(/^(['"])(.*)\1$/, '$2')
    : undefined

function databaseIn(repo: RepoProbe, script: string | undefined): DatabaseSource | undefined {
  const envFile = option(script, '--envPath|--env-path') ?? '.env'
  const name = option(script, '--database-url-var|-d') ?? 'DATABASE_URL'
  const vars = repo.dotenv(envFile)
  const raw = vars[name]
  const url = raw === undefined ? undefined : resolveVars(raw, vars)
  if (!url || !/^postgres(ql)?:\/\//.test(url)) return undefined
  const line = (repo.read(envFile) ?? '').split('\n').findIndex((l) => l.startsWith(`${name}=`)) + 1
  return {
    engine: 'postgres',
    url: localUrl(url),
    why: `${envFile}:${line} (${name}, the file node-pg-migrate loads)`,
    // The file the migration tool itself reads: as explicit as an ORM's own config.
    rank: 1,
    viaEnv: name === 'DATABASE_URL',
  }
}

export const nodePgMigrate = defineProvider({
  name: 'node-pg-migrate',
  detect: ({ repo }) => repo.nodeDependencies()['node-pg-migrate'] !== undefined,
  contribute: ({ repo }) => {
    const script = upScript(repo)
    const dir = option(script?.text, '-m|--migrations-dir|--migrationsDir') ?? 'migrations'
    const table = option(script?.text, '-t|--migrations-table|--migrationsTable')
    const database = databaseIn(repo, script?.text)
    return {
      databaseCommands: {
        migrate: script ? `${nodeRunner(repo)} ${script.name}` : 'npx node-pg-migrate up',
        ...(repo.isDir(dir) ? { migrations: `${dir}/**` } : {}),
        ...(table && table !== 'pgmigrations' ? { migrations_table: table } : {}),
      },
      ...(database ? { database } : {}),
    }
  },
})
