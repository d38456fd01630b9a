// Helpers for the service step's tests: a state folder of the test's own (DEVSETUP_STATE_DIR),
// the CLI run with it, and the service folders devsetup made, read back from disk.
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import mysql from 'mysql2/promise'
import pg from 'pg'
import { afterAll } from 'vitest'
import { repoKey } from '../../../src/steps/service/paths.js'
import { type CliResult, nobody, runCli, startCli, tempRepo, writeFiles } from '../../helpers.js'

export interface Services {
  state: string
  cli(repo: string, args: string[], env?: Record<string, string>): Promise<CliResult>
  /** The service folder of `engine` for `repo` (the only repository key with that folder name). */
  dir(repo: string, engine: string): string
  record(repo: string, engine: string): { port: number; engine: string }
  postmasterPid(repo: string): number | undefined
  /** Runs `up` and SIGKILLs it at `moment` (its `signal` says whether the moment came before `up` ended). */
  upKilledAt(repo: string, engine: string, moment: Moment): Promise<CliResult>
}

/** A moment of a service's start: when `reached(<service folder>)` holds, or `afterMs` after `up` began. */
export interface Moment {
  name: string
  reached?: (dir: string) => boolean
  afterMs?: number
}

/**
 * The set-up commands a killed `up` left running on the service folder `dir` (initdb,
 * mariadb-install-db, pg_ctl): a SIGKILLed devsetup takes none of them along.
 */
export function setupLeftovers(dir: string): number[] {
  const pids: number[] = []
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8')
      if (cmdline.includes(dir) && /initdb|install-db|pg_ctl/.test(cmdline)) pids.push(Number(name))
    } catch {
      // Gone already.
    }
  }
  return pids
}

/** Whether something named `name` is in `dir` or below it, down to `depth` levels (a moment's landmark). */
export function below(dir: string, name: string, depth = 2): boolean {
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return false
  }
  if (entries.includes(name)) return true
  return depth > 1 && entries.some((e) => below(path.join(dir, e), name, depth - 1))
}

const repos = new Set<string>()

export function services(): Services {
  const state = mkdtempSync(path.join(tmpdir(), 'devsetup-state-'))
  // The `postgres` user must reach its folder below this one when the tests run as root.
  chmodSync(state, 0o755)
  afterAll(async () => {
    // Stop whatever these tests started, through the command under test, then drop the folder.
    for (const repo of repos) await runCli(['stop'], { cwd: repo, env: { DEVSETUP_STATE_DIR: state } })
    rmSync(state, { recursive: true, force: true })
  })
  const s: Services = {
    state,
    cli: (repo, args, env = {}) => {
      repos.add(repo)
      return runCli(args, { cwd: repo, env: { ...env, DEVSETUP_STATE_DIR: state }, timeoutMs: 90_000 })
    },
    dir(repo, engine) {
      const key = readdirSync(state).find((k) => k.startsWith(`${path.basename(repo)}-`))
      if (!key) throw new Error(`no state folder for ${repo}`)
      return path.join(state, key, 'services', engine)
    },
    record: (repo, engine) =>
      JSON.parse(readFileSync(path.join(s.dir(repo, engine), 'service.json'), 'utf8')),
    postmasterPid(repo) {
      const file = path.join(s.dir(repo, 'postgres'), 'data', 'postmaster.pid')
      return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined
    },
    async upKilledAt(repo, engine, moment) {
      repos.add(repo)
      const dir = path.join(state, repoKey(repo), 'services', engine)
      const env = { DEVSETUP_STATE_DIR: state }
      const { child, done } = startCli(['up'], { cwd: repo, env, timeoutMs: 90_000 })
      let ended = false
      void done.then(() => {
        ended = true
      })
      const started = Date.now()
      // Polled every 2 ms: initdb and mariadb-install-db take a second or more between landmarks.
      while (!ended) {
        const due =
          moment.afterMs !== undefined ? Date.now() - started >= moment.afterMs : moment.reached!(dir)
        if (due) {
          child.kill('SIGKILL')
          break
        }
        await new Promise((r) => setTimeout(r, 2))
      }
      return done
    },
  }
  return s
}

/** Runs SQL against a URL, as the app would. */
export async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(text)).rows
  } finally {
    await client.end()
  }
}

/** Runs SQL against a MariaDB/MySQL URL, as the app would. */
export async function mysqlSql<T>(url: string, text: string): Promise<T[]> {
  const c = await mysql.createConnection(url)
  try {
    return (await c.query(text))[0] as T[]
  } finally {
    await c.end()
  }
}

/** A recipe with a PostgreSQL service serving `url` and a database step on it. */
export const pgRecipe = (url: string) => `version: 1
env:
  DATABASE_URL: ${url}
steps:
  - service: postgres
  - database:
      url: \${DATABASE_URL}
`

/** A repository `nobody` owns, in a home of its own, run as `nobody` with its state under XDG_STATE_HOME. */
export function nobodyRepo(recipe: string): {
  repo: string
  data(engine: string): string
  run(args: string[]): Promise<CliResult>
} {
  const home = tempRepo({}, { git: false })
  const repo = path.join(home, 'shop')
  writeFiles(repo, { 'devsetup.yml': recipe })
  for (const dir of [home, repo, path.join(repo, 'devsetup.yml')]) chownSync(dir, nobody, nobody)
  const env = { HOME: home, XDG_STATE_HOME: path.join(home, 'state'), DEVSETUP_STATE_DIR: '', USER: 'nobody' }
  return {
    repo,
    data: (engine) => path.join(home, 'state', 'devsetup', repoKey(repo), 'services', engine, 'data'),
    run: (args) => runCli(args, { cwd: repo, env, asNobody: true, timeoutMs: 90_000 }),
  }
}

/** The MariaDB/MySQL server binary on this machine, when there is one (the MySQL cases run only then). */
export const mysqlServer = ['mariadbd', 'mysqld'].find(
  (bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0,
)

/** Starts a MariaDB serving `url` through one `service: mariadb` step, as a user would start it. */
export async function startMariadb(services: Services, url: string): Promise<void> {
  const server = tempRepo({
    'devsetup.yml': `version: 1\nsteps:\n  - service:\n      engine: mariadb\n      url: ${url}\n`,
  })
  const started = await services.cli(server, ['up'])
  if (started.code !== 0) throw new Error(`service: mysql failed: ${started.stdout}${started.stderr}`)
}
