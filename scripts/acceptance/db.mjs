// The app's database as the acceptance run sees it: the URL devsetup used (its state's
// `migrated.target`, else the recipe's url with ${VAR:-default} resolved from .env), a marker
// row the run inserts to prove that repairs keep data, and dropping it (or deleting the SQLite
// file). Clients: psql, mysql/mariadb, sqlite3 from the system.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { repoStateDir } from './state.mjs'

export function readEnvFile(file) {
  const out = {}
  if (!existsSync(file)) return out
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(line)
    if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2')
  }
  return out
}

const expand = (text, vars) =>
  String(text).replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, name, fallback) => vars[name] || fallback || '')

/** { engine, url, file?, cwd } of the recipe's first database step, resolved. */
export function databaseOf(ctx) {
  const item = ctx.stepsOf('database')[0]
  const step = item?.database
  if (!step) return undefined
  const cwd = ctx.cwdOf(item, 'database')
  let target
  try {
    const state = JSON.parse(readFileSync(path.join(repoStateDir(ctx.repo, ctx.env), 'state.json'), 'utf8'))
    for (const [id, s] of Object.entries(state.steps ?? {}))
      if (id.startsWith('database') && s.data?.migrated?.target) target ??= s.data.migrated.target
  } catch {}
  const vars = { ...readEnvFile(ctx.envFile()), ...process.env, ...ctx.env }
  // The recipe's top-level `env:` (`DATABASE_URL: ${DATABASE_URL:-sqlite3:storage/…}`), as devsetup exports it.
  for (const [key, value] of Object.entries(ctx.recipeEnv?.() ?? {})) vars[key] = expand(value, vars)
  // The recipe's URL as resolved from .env (it carries the credentials); devsetup's recorded
  // target when the recipe's is only a variable that resolves to nothing here.
  const resolved = expand(step.url ?? '', vars)
  const url = /^\w+:/.test(resolved) ? resolved : (target ?? resolved)
  const engine =
    step.engine ??
    (/^sqlite/.test(url) ? 'sqlite' : /^mysql|^mariadb|^trilogy/.test(url) ? 'mysql' : 'postgres')
  const out = { engine, url, cwd, step }
  if (engine === 'sqlite') {
    const file = step.path ?? url.replace(/^sqlite3?:(\/\/)?/, '')
    out.file = path.resolve(cwd, file)
  }
  return out
}

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 30_000 })
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() }
}

function pgUrls(url) {
  const u = new URL(url.replace(/^postgresql:/, 'postgres:'))
  u.hostname = u.hostname === 'localhost' ? '127.0.0.1' : u.hostname
  u.search = ''
  const asPostgres = new URL(u)
  asPostgres.username = 'postgres'
  asPostgres.password = ''
  return [u.toString(), asPostgres.toString()]
}

function mysqlArgs(url) {
  const u = new URL(url.replace(/^(mysql2|trilogy|mariadb):/, 'mysql:'))
  const args = [
    '-h',
    u.hostname === 'localhost' ? '127.0.0.1' : u.hostname,
    '-P',
    u.port || '3306',
    '-u',
    decodeURIComponent(u.username || 'root'),
  ]
  if (u.password) args.push(`-p${decodeURIComponent(u.password)}`)
  return { args, name: u.pathname.slice(1) }
}

/** Runs SQL in the app's database; returns { ok, out }. */
export function sql(db, statement) {
  if (db.engine === 'sqlite') {
    if (!existsSync(db.file)) return { ok: false, out: `${db.file} does not exist` }
    return run('sqlite3', [db.file, statement])
  }
  if (db.engine === 'postgres') {
    let last
    for (const url of pgUrls(db.url)) {
      last = run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', statement])
      if (last.ok) return last
    }
    return last
  }
  if (db.engine === 'mysql') {
    const { args, name } = mysqlArgs(db.url)
    return run('mysql', [...args, name, '-N', '-e', statement])
  }
  return { ok: false, out: `engine ${db.engine} not handled` }
}

const marker = 'acceptance_marker'
export function insertMarker(db) {
  const r = sql(
    db,
    `CREATE TABLE IF NOT EXISTS ${marker} (note varchar(40)); INSERT INTO ${marker} VALUES ('kept');`,
  )
  return r.ok ? true : r.out.split('\n').slice(-2).join(' ')
}
export function markerKept(db) {
  const r = sql(db, `SELECT count(*) FROM ${marker}`)
  return r.ok && Number(r.out.trim()) > 0
}

export function dropDatabase(db) {
  if (!db) return 'the recipe has no database step'
  if (db.engine === 'sqlite') {
    if (!existsSync(db.file)) return `${db.file} does not exist`
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(db.file + suffix, { force: true })
    return true
  }
  if (db.engine === 'postgres') {
    const name = new URL(db.url.replace(/^postgresql:/, 'postgres:')).pathname.slice(1)
    if (!name || name === 'postgres') return 'the app uses the `postgres` maintenance database: not dropped'
    let last
    for (const url of pgUrls(db.url)) {
      const maintenance = new URL(url)
      maintenance.pathname = '/postgres'
      last = run('psql', [
        maintenance.toString(),
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `DROP DATABASE "${name}" WITH (FORCE)`,
      ])
      if (last.ok) return true
    }
    return `cannot drop ${name}: ${last.out}`
  }
  if (db.engine === 'mysql') {
    const { args, name } = mysqlArgs(db.url)
    const r = run('mysql', [...args, '-e', `DROP DATABASE \`${name}\``])
    return r.ok ? true : `cannot drop ${name}: ${r.out}`
  }
  return `engine ${db.engine} not handled`
}
