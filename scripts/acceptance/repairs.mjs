// The repair matrix of scripts/acceptance.mjs: each entry breaks one thing in the app's
// copy and names the step types allowed to run to repair it (restart always may).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** ctx: { repo, cluster, cleanups, stepsOf } */
export function repairs(ctx) {
  const { repo, cluster, cleanups, stepsOf } = ctx
  const envFile = () => path.join(repo, stepsOf('dotenv')[0]?.dotenv?.to ?? '.env')
  const database = () => stepsOf('database')[0]?.database
  return [
    ['rm node_modules', () => rm('node_modules'), ['dependencies', 'run']],
    ['delete .env', () => rm(path.relative(repo, envFile())), ['dotenv']],
    [
      'remove one key',
      () => {
        if (!existsSync(envFile())) return 'no .env'
        const lines = readFileSync(envFile(), 'utf8').split('\n')
        // The last key: removing a key the database URL needs would also break the database.
        const at = lines.findLastIndex((l) => /^[A-Za-z_]\w*=/.test(l))
        lines.splice(at, 1)
        writeFileSync(envFile(), lines.join('\n'))
        return true
      },
      ['dotenv'],
    ],
    ['drop the database', () => dropDatabase(database()), ['database', 'run']],
    ['kill the server', () => killServer(repo), []],
    [
      'stale pidfile, unrelated live pid',
      () => {
        const killed = killServer(repo)
        if (killed !== true) return killed
        const sleeper = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' })
        sleeper.unref()
        cleanups.push(() => process.kill(sleeper.pid))
        writeFileSync(path.join(repo, '.devsetup', 'server.pid'), `${sleeper.pid}\n`)
        return true
      },
      [],
    ],
    ['a new migration', () => addMigration(database()), ['database']],
    [
      'junk in the log folder',
      () => {
        const paths = stepsOf('cleanup')[0]?.cleanup?.paths
        if (!paths) return 'the recipe has no cleanup step (the app has no log folder)'
        const dir = path.join(repo, path.dirname(paths[0]))
        writeFileSync(path.join(dir, 'junk.log'), 'junk\n'.repeat(1000))
        return true
      },
      ['cleanup'],
    ],
  ]

  function rm(relative) {
    if (!existsSync(path.join(repo, relative))) return `${relative} does not exist`
    rmSync(path.join(repo, relative), { recursive: true, force: true })
    return true
  }

  function dropDatabase(db) {
    if (!db) return 'the recipe has no database step'
    if ((db.engine ?? '') === 'sqlite' || String(db.url ?? '').startsWith('sqlite')) {
      const file = db.path ?? String(db.url).replace(/^sqlite3?:/, '')
      return rm(file)
    }
    if (!cluster) return 'no PostgreSQL of our own (--no-pg)'
    const name = new URL(db.url).pathname.slice(1)
    if (name === 'postgres') return 'the app uses the `postgres` maintenance database: not dropped'
    cluster.psql(`DROP DATABASE "${name}" WITH (FORCE)`)
    return true
  }

  function addMigration(db) {
    const glob = [db?.migrations ?? []].flat()[0]
    if (!glob) return 'the database step has no migrations glob'
    const dir = path.join(repo, glob.replace(/\/?\*.*$/, ''))
    const existing = readdirSync(dir).filter((f) => /\.(c|m)?[jt]s$|\.sql$|\.py$|\.rb$/.test(f))
    const sample = existing[0] ? readFileSync(path.join(dir, existing[0]), 'utf8') : ''
    const stamp = Date.now()
    if (sample.includes('MigrationInterface')) {
      writeFileSync(
        path.join(dir, `${stamp}-AcceptanceNoop.ts`),
        `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class AcceptanceNoop${stamp} implements MigrationInterface {\n  name = 'AcceptanceNoop${stamp}';\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query('SELECT 1');\n  }\n  public async down(): Promise<void> {}\n}\n`,
      )
    } else if (/exports\.up|export (async )?function up|module\.exports/.test(sample)) {
      writeFileSync(
        path.join(dir, `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_acceptance_noop.js`),
        'exports.up = async () => {};\nexports.down = async () => {};\n',
      )
    } else return `unknown migration format in ${glob}`
    return true
  }
}

/** Kills the dev server devsetup started (its process group), from .devsetup/server.json. */
export function killServer(repo) {
  const file = path.join(repo, '.devsetup', 'server.json')
  if (!existsSync(file)) return 'no server record in .devsetup/server.json'
  const record = JSON.parse(readFileSync(file, 'utf8'))
  try {
    process.kill(-record.pgid, 'SIGKILL')
  } catch {
    process.kill(record.pid, 'SIGKILL')
  }
  spawnSync('sleep', ['1'])
  return true
}
