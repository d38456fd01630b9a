#!/usr/bin/env node
// Acceptance on a real app: `devsetup init` then `devsetup up` on a fresh copy of a checkout,
// with no hand edit, until the dev server answers on 127.0.0.1; then the repair matrix (one
// breakage at a time, one `up` each: only the broken steps run, doctor red before, green after).
//
//   node scripts/acceptance.mjs <checkout> [--pg-port 5432] [--no-pg] [--keep] [--json]
//
// Uses the built dist/cli.js (npm run build first). PostgreSQL comes from the Debian packages
// (/usr/lib/postgresql/*/bin): a throw-away cluster on --pg-port (default 5432, what the apps'
// example env files say), trusting local logins like Homebrew's, run as `postgres` under root,
// socket in /tmp. The app's code is never copied into devsetup; the copy lives under /tmp.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import {
  chownSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const here = path.dirname(fileURLToPath(import.meta.url))
const cli = path.resolve(here, '../dist/cli.js')
const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const checkout = args.find((a, i) => !a.startsWith('--') && !['--pg-port'].includes(args[i - 1]))
if (!checkout || !existsSync(cli)) {
  console.error(
    'usage: node scripts/acceptance.mjs <checkout> [--pg-port 5432] [--no-pg] [--keep] [--json]  (npm run build first)',
  )
  process.exit(2)
}
const results = { app: path.basename(path.resolve(checkout)), steps: [], repairs: [] }
const log = (line) => (flag('--json') ? process.stderr : process.stdout).write(`${line}\n`)
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`

// A fresh copy: `git clone` of a checkout (a clean tree at its HEAD), else a plain copy.
const work = mkdtempSync(path.join(tmpdir(), `acceptance-${results.app}-`))
const repo = path.join(work, 'app')
if (existsSync(path.join(checkout, '.git'))) {
  execFileSync('git', ['clone', '--quiet', path.resolve(checkout), repo])
  results.commit = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD']).toString().trim()
} else cpSync(checkout, repo, { recursive: true })

const cluster = flag('--no-pg') ? undefined : startPostgres(Number(option('--pg-port', '5432')))
const cleanups = [() => cluster?.stop()]
process.on('SIGINT', () => finish(130))

function devsetup(cmdArgs, timeoutMs = 15 * 60_000) {
  const started = Date.now()
  const result = spawnSync(process.execPath, [cli, ...cmdArgs, '--cwd', repo], {
    encoding: 'utf8',
    timeout: timeoutMs,
    // A login shell always has USER (pg's default user); some harnesses do not.
    env: { USER: userInfo().username, ...process.env, NO_COLOR: '1', CI: '' },
  })
  return {
    code: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    ms: Date.now() - started,
  }
}

/** `up --json`: exit code, time, and each step's status. */
function up() {
  const run = devsetup(['up', '--json'])
  const steps = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((e) => e.event === 'step:end')
  return { ...run, steps }
}

const recipe = () => parse(readFileSync(path.join(repo, 'devsetup.yml'), 'utf8'))
const stepsOf = (type) => (recipe().steps ?? []).filter((s) => s && typeof s === 'object' && type in s)
const health = () => stepsOf('restart')[0]?.restart?.health

async function answers(url) {
  if (!url) return { ok: false, detail: 'the recipe has no health URL' }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
    return { ok: response.status < 500, detail: `HTTP ${response.status}` }
  } catch (error) {
    return { ok: false, detail: String(error.cause?.code ?? error.message) }
  }
}

async function main() {
  const init = devsetup(['init'])
  results.init = { code: init.code, ms: init.ms, output: init.stdout.trim() }
  log(`init: exit ${init.code} in ${seconds(init.ms)}\n${init.stdout}${init.stderr}`)
  if (init.code !== 0) return finish(1)
  log(readFileSync(path.join(repo, 'devsetup.yml'), 'utf8'))
  const first = up()
  results.up = { code: first.code, ms: first.ms, steps: first.steps.map(brief) }
  log(`up: exit ${first.code} in ${seconds(first.ms)}`)
  for (const s of first.steps) log(`  ${s.status.padEnd(8)} ${s.step}: ${s.reason}`)
  if (first.code !== 0)
    log(
      first.stdout
        .split('\n')
        .filter((l) => !l.startsWith('{'))
        .join('\n') + first.stderr,
    )
  const served = await answers(health())
  results.served = served
  log(`server ${health()}: ${served.ok ? 'answers' : 'does not answer'} (${served.detail})`)
  if (first.code !== 0 || !served.ok) return finish(1)
  const again = up()
  results.noop = {
    code: again.code,
    ms: again.ms,
    changed: again.steps.filter((s) => s.status === 'changed').map((s) => s.step),
  }
  log(
    `no-op up: exit ${again.code} in ${seconds(again.ms)}, changed: ${results.noop.changed.join(', ') || 'nothing'}`,
  )

  for (const [name, breakIt, expected] of repairs()) {
    const applies = await breakIt()
    if (applies !== true) {
      results.repairs.push({ name, result: 'n/a', detail: applies })
      log(`repair ${name}: n/a (${applies})`)
      continue
    }
    const before = devsetup(['doctor'])
    const fixed = up()
    const after = devsetup(['doctor'])
    const served = await answers(health())
    const changed = fixed.steps.filter((s) => s.status === 'changed').map((s) => s.type)
    const unexpected = changed.filter((t) => !expected.includes(t) && t !== 'restart')
    const pass =
      before.code === 1 &&
      fixed.code === 0 &&
      after.code === 0 &&
      served.ok &&
      unexpected.length === 0 &&
      changed.length > 0
    const row = {
      name,
      result: pass ? 'pass' : 'FAIL',
      doctorBefore: before.code,
      up: fixed.code,
      doctorAfter: after.code,
      changed,
      ms: fixed.ms,
      served: served.detail,
    }
    results.repairs.push(row)
    log(
      `repair ${name}: ${row.result} (doctor ${before.code} → up ${fixed.code} in ${seconds(fixed.ms)} → doctor ${after.code}; ran: ${changed.join(', ') || 'nothing'}; server ${served.detail})`,
    )
    if (!pass)
      log(
        fixed.stdout
          .split('\n')
          .filter((l) => !l.startsWith('{'))
          .join('\n') +
          fixed.stderr +
          after.stdout,
      )
  }
  return finish(results.repairs.every((r) => r.result !== 'FAIL') ? 0 : 1)
}

const brief = (s) => ({ step: s.step, status: s.status, reason: s.reason, ms: s.durationMs })

function repairs() {
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
    ['kill the server', () => killServer(), []],
    [
      'stale pidfile, unrelated live pid',
      () => {
        const killed = killServer()
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
}

function rm(relative) {
  if (!existsSync(path.join(repo, relative))) return `${relative} does not exist`
  rmSync(path.join(repo, relative), { recursive: true, force: true })
  return true
}

function serverRecord() {
  const file = path.join(repo, '.devsetup', 'server.json')
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined
}

function killServer() {
  const record = serverRecord()
  if (!record) return 'no server record in .devsetup/server.json'
  try {
    process.kill(-record.pgid, 'SIGKILL')
  } catch {
    process.kill(record.pid, 'SIGKILL')
  }
  spawnSync('sleep', ['1'])
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

function startPostgres(port) {
  const root = '/usr/lib/postgresql'
  const version = existsSync(root) ? readdirSync(root).sort((a, b) => b - a)[0] : undefined
  if (!version) throw new Error('PostgreSQL is not installed (apt-get install postgresql)')
  const bin = path.join(root, version, 'bin')
  const asRoot = userInfo().uid === 0
  const dir = mkdtempSync(path.join(tmpdir(), 'acceptance-pg-'))
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']))
    const gid = Number(execFileSync('id', ['-g', 'postgres']))
    chownSync(dir, uid, gid)
  }
  const as = (file, fileArgs) => {
    const [cmd, ...rest] = [
      ...(asRoot ? ['runuser', '-u', 'postgres', '--'] : []),
      path.join(bin, file),
      ...fileArgs,
    ]
    return execFileSync(cmd, rest, { stdio: 'pipe' }).toString()
  }
  const data = path.join(dir, 'data')
  as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
  as('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-o',
    `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off`,
    '-w',
    'start',
  ])
  log(`PostgreSQL ${version} on 127.0.0.1:${port} (${dir})`)
  return {
    psql: (sql) =>
      as('psql', [
        '-h',
        '/tmp',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        sql,
      ]),
    stop: () => {
      as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function finish(code) {
  killServer()
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup()
    } catch {}
  }
  if (!flag('--keep')) rmSync(work, { recursive: true, force: true })
  else log(`kept ${repo}`)
  if (flag('--json')) process.stdout.write(`${JSON.stringify(results)}\n`)
  process.exit(code)
}

main().catch((error) => {
  log(error.stack)
  finish(1)
})
