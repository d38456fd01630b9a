#!/usr/bin/env node
// Acceptance on a real app: `devsetup init` then `devsetup up` on a fresh copy of a checkout,
// with no hand edit, until the dev server answers on 127.0.0.1; then the repair matrix (one
// breakage at a time, one `up` each: only the broken steps run, doctor red before, green after,
// the app answers, a marker row inserted before survives).
//
//   node scripts/acceptance.mjs <checkout | --git-dir <bare repo> --commit <sha>>
//        [--name app] [--env KEY=VALUE]... [--crash KEY=VALUE] [--crash-line REGEX] [--own-pg] [--bin-setup]
//        [--after-init 'shell edit'] [--no-repairs] [--keep] [--json]
//
// Uses the built dist/cli.js (npm run build first). devsetup's state goes to a folder of this
// run (DEVSETUP_STATE_DIR=<run>/state), so the server record, services and logs of this run are
// its own. Databases: no server is pre-started when the recipe has `service` steps (devsetup
// starts them); with --own-pg and a postgres database step without a service, a throw-away
// PostgreSQL is started on the URL's port, only if nothing listens there.
// `--env` settings are the run's environment (e.g. COREPACK_INTEGRITY_KEYS=0), not app edits.
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { timeBinSetup } from './acceptance/bin-setup.mjs'
import { crashLine, streamedUp, watchLogs } from './acceptance/crash-timing.mjs'
import { databaseOf, insertMarker, markerKept } from './acceptance/db.mjs'
import { startPostgres } from './acceptance/postgres.mjs'
import { repairs } from './acceptance/repairs.mjs'
import { killProcessesIn, killServer, processesIn, serverFiles, serverLogMtime } from './acceptance/state.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const cli = path.resolve(here, '../dist/cli.js')
const args = process.argv.slice(2)
const valued = [
  '--git-dir',
  '--commit',
  '--name',
  '--env',
  '--crash',
  '--crash-line',
  '--up-timeout',
  '--after-init',
]
const flag = (name) => args.includes(name)
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const options = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []))
const checkout = args.find((a, i) => !a.startsWith('--') && !valued.includes(args[i - 1]))
if ((!checkout && !option('--git-dir')) || !existsSync(cli)) {
  console.error(
    'usage: node scripts/acceptance.mjs <checkout | --git-dir DIR --commit SHA> [--name N] [--env K=V]... [--crash K=V] [--crash-line REGEX] [--own-pg] [--bin-setup] [--no-repairs] [--keep] [--json]  (npm run build first)',
  )
  process.exit(2)
}
const name = option(
  '--name',
  path.basename(path.resolve(checkout ?? option('--git-dir'))).replace(/\.git$/, ''),
)
const results = { app: name, started: new Date().toISOString(), steps: [], repairs: [], greenWhileBroken: [] }
const log = (line) => (flag('--json') ? process.stderr : process.stdout).write(`${line}\n`)
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`

// A fresh copy: `git archive` of a pinned commit of a bare repository (then a one-commit git
// repository, as a clone would be), `git clone` of a checkout, else a plain copy.
const work = mkdtempSync(path.join(tmpdir(), `acceptance-${name}-`))
// mkdtemp makes it 0700: the `postgres`/`mysql` users that devsetup's services run as under root
// must reach the state folder inside it (devsetup says so, and refuses, otherwise).
chmodSync(work, 0o755)
const repo = path.join(work, 'app')
results.commit = freshCopy(repo)

/** A fresh copy of the app in `dest` (made here): its commit. */
function freshCopy(dest) {
  mkdirSync(dest, { recursive: true })
  let commit
  if (option('--git-dir')) {
    const wanted = option('--commit', 'HEAD')
    execFileSync('sh', [
      '-c',
      `git --git-dir="$0" archive "$1" | tar -x -C "$2"`,
      option('--git-dir'),
      wanted,
      dest,
    ])
    commit = execFileSync('git', ['--git-dir', option('--git-dir'), 'rev-parse', wanted])
      .toString()
      .trim()
    gitSnapshot(dest)
  } else if (existsSync(path.join(checkout, '.git'))) {
    rmSync(dest, { recursive: true })
    execFileSync('git', ['clone', '--quiet', path.resolve(checkout), dest])
    commit = execFileSync('git', ['-C', dest, 'rev-parse', 'HEAD']).toString().trim()
  } else {
    cpSync(checkout, dest, { recursive: true })
    gitSnapshot(dest)
  }
  return commit
}
function gitSnapshot(dir) {
  const git = (...a) => execFileSync('git', ['-C', dir, ...a], { stdio: 'pipe' })
  git('init', '-q')
  git('add', '-A')
  git(
    '-c',
    'user.name=acceptance',
    '-c',
    'user.email=a@localhost',
    'commit',
    '-qm',
    'snapshot',
    '--no-verify',
  )
}

const runEnv = { DEVSETUP_STATE_DIR: path.join(work, 'state') }
for (const setting of options('--env')) {
  const at = setting.indexOf('=')
  runEnv[setting.slice(0, at)] = setting.slice(at + 1).replace(/\{work\}/g, work)
}
results.env = Object.fromEntries(Object.entries(runEnv).filter(([k]) => k !== 'DEVSETUP_STATE_DIR'))
const cleanups = []
process.on('SIGINT', () => finish(130))
process.on('SIGTERM', () => finish(143))

const upTimeoutMs = Number(option('--up-timeout', 20)) * 60_000
// A login shell always has USER (pg's default user); some harnesses do not.
const cliEnv = () => ({ USER: userInfo().username, ...process.env, ...runEnv, NO_COLOR: '1', CI: '' })
function devsetup(cmdArgs, timeoutMs = upTimeoutMs) {
  const started = Date.now()
  const result = spawnSync(process.execPath, [cli, ...cmdArgs, '--cwd', repo], {
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGINT',
    env: cliEnv(),
  })
  return {
    code: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    ms: Date.now() - started,
    ended: Date.now(),
  }
}
const events = (run) =>
  run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l)
      } catch {
        return {}
      }
    })
const ends = (run) => events(run).filter((e) => e.event === 'step:end')
function up() {
  const run = devsetup(['up', '--json'])
  return { ...run, steps: ends(run) }
}
// An `up` whose server is meant to crash, timed: the crash (first crash line arriving in the
// server's log or its app_log) → the failed step's report, and → up's exit (after the group's stop).
async function crashingUp() {
  const restart = stepsOf('restart')[0]
  const cwd = cwdOf(restart, 'restart')
  const own = restart?.restart?.log
  const logs = [own ? path.resolve(cwd, own) : serverFiles(repo, runEnv).log]
  if (restart?.restart?.app_log) logs.push(path.resolve(cwd, restart.restart.app_log))
  const pattern = option('--crash-line') ? new RegExp(option('--crash-line')) : crashLine
  const watch = watchLogs(logs, pattern)
  const run = await streamedUp(
    process.execPath,
    [cli, 'up', '--json', '--cwd', repo],
    { env: cliEnv() },
    upTimeoutMs,
  )
  return { ...run, steps: ends(run), crash: watch.stop(), logs }
}
function doctor() {
  const run = devsetup(['doctor', '--json'])
  const steps = ends(run)
  return { ...run, steps, unmet: steps.filter((s) => s.status !== 'ok' && s.status !== 'skipped') }
}
// The failed steps, then the last lines of devsetup's own run log (a --json run prints no output).
const tail = (run, n = 12) => {
  const summary = events(run).find((e) => e.event === 'summary')
  let logLines = []
  try {
    if (summary?.log) logLines = readFileSync(summary.log, 'utf8').split('\n')
  } catch {}
  return `${run.stdout}${run.stderr}`
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('{'))
    .concat(
      ends(run)
        .filter((s) => s.status === 'failed')
        .map((s) => `[${s.step}] ${s.reason}`),
    )
    .concat(
      logLines
        .filter((l) => l.trim())
        .slice(-n)
        .map((l) => `  | ${l.slice(0, 300)}`),
    )
    .join('\n')
}

const recipeFile = () => path.join(repo, 'devsetup.yml')
const recipe = () => parse(readFileSync(recipeFile(), 'utf8'))
// A parallel group's steps count as the recipe's own (init groups the installs with the services).
const stepsOf = (type) =>
  (recipe().steps ?? [])
    .flatMap((s) => (s && typeof s === 'object' && Array.isArray(s.parallel) ? s.parallel : [s]))
    .filter((s) => s && typeof s === 'object' && type in s)
// The health URL as devsetup sees it: `${PORT:-3000}` from the run's environment, else the
// recipe's `env:`, else the default (a recipe init writes reads PORT, so the URL is a template).
const expand = (text, vars) =>
  text.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, name, fallback) => vars[name] || fallback || '')
const health = () => {
  const url = stepsOf('restart')[0]?.restart?.health
  if (!url) return url
  const vars = { ...process.env, ...runEnv }
  for (const [name, value] of Object.entries(recipe().env ?? {})) vars[name] ??= expand(String(value), vars)
  return expand(url, vars)
}
// A step's folder: `cwd:` on the step (an app in a subfolder), or the type's own `cwd`.
const cwdOf = (item, type) => path.resolve(repo, item?.cwd ?? item?.[type]?.cwd ?? '.')
// The dotenv step's file; else the first env file the restart step names as the server's own
// (`env_files: configs/.env`): where a broken value makes the server crash at boot.
const envFile = () => {
  const item = stepsOf('dotenv')[0]
  const restart = stepsOf('restart')[0]
  const own = [restart?.restart?.env_files ?? []].flat()[0]
  if (!item && own) return path.resolve(cwdOf(restart, 'restart'), own)
  return path.resolve(cwdOf(item, 'dotenv'), item?.dotenv?.to ?? '.env')
}
const stack =
  existsSync(path.join(repo, 'Gemfile')) && existsSync(path.join(repo, 'config', 'application.rb'))
    ? 'rails'
    : 'node'
const ctx = {
  repo,
  work,
  env: runEnv,
  cleanups,
  stepsOf,
  cwdOf,
  envFile,
  stack,
  crashKey: option('--crash'),
  recipeEnv: () => recipe().env,
  health,
}

// Each probe opens a new connection, as a person's first page load after `up` does. (With fetch's
// pooled keep-alive connections, the first probe after a restart could reuse a connection to the
// server `up` had just replaced, while spawnSync kept this process from seeing it close.)
async function answers(url = health()) {
  if (!url) return { ok: false, detail: 'the recipe has no health URL' }
  try {
    const { status, body } = await get(url)
    if (body === 'foreign') return { ok: false, detail: `HTTP ${status} from the foreign process` }
    return { ok: status < 500, detail: `HTTP ${status}` }
  } catch (error) {
    return { ok: false, detail: String(error.code ?? error.message) }
  }
}
const get = (url) =>
  new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: 10_000 }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => {
        body += chunk
      })
      response.on('end', () => resolve({ status: response.statusCode, body }))
      response.on('error', reject)
    })
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })))
    request.on('error', reject)
  })
const listening = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

async function main() {
  log(`${name} ${results.commit ?? ''} → ${repo} (${stack})`)
  const init = devsetup(['init'])
  results.init = { code: init.code, ms: init.ms, output: `${init.stdout}${init.stderr}`.trim() }
  log(`init: exit ${init.code} in ${seconds(init.ms)}\n${init.stdout}${init.stderr}`)
  if (!existsSync(recipeFile())) return finish(1)
  results.recipe = readFileSync(recipeFile(), 'utf8')
  log(results.recipe)
  // An edit still needed (recorded as such, never part of an "unmodified" result).
  for (const edit of options('--after-init')) {
    execFileSync('sh', ['-c', edit], { cwd: repo, stdio: ['ignore', 2, 2] })
    results.edits = [...(results.edits ?? []), edit]
    log(`edit after init: ${edit}`)
  }

  const db = stepsOf('database')[0]?.database
  const services = stepsOf('service').map((s) =>
    typeof s.service === 'string' ? s.service : s.service.engine,
  )
  if (flag('--own-pg') && db && (db.engine ?? 'postgres') === 'postgres' && !services.includes('postgres')) {
    const port = Number(
      new URL(String(databaseOf(ctx)?.url).replace(/^postgresql:/, 'postgres:')).port || 5432,
    )
    if (await listening(port)) log(`port ${port} is taken: no PostgreSQL of our own`)
    else {
      const cluster = startPostgres(port, log)
      cleanups.push(() => cluster.stop())
    }
  }

  if (flag('--bin-setup')) log("(the app's bin/setup is timed at the end, on a fresh copy of its own)")
  const first = up()
  results.up = {
    code: first.code,
    ms: first.ms,
    steps: first.steps.map(brief),
    tail: first.code === 0 ? undefined : tail(first, 25),
  }
  log(`up: exit ${first.code} in ${seconds(first.ms)}`)
  for (const s of first.steps) log(`  ${s.status.padEnd(8)} ${s.step}: ${s.reason}`)
  if (first.code !== 0) log(tail(first, 25))
  const served = await answers()
  results.served = served
  log(`server ${health()}: ${served.ok ? 'answers' : 'does not answer'} (${served.detail})`)
  const check = doctor()
  results.doctorAfterUp = { code: check.code, unmet: check.unmet.map((s) => `${s.step}: ${s.reason}`) }
  if (check.code === 0 && !served.ok) {
    results.greenWhileBroken.push({ case: 'first up', detail: `doctor exit 0, app ${served.detail}` })
    log(`GREEN WHILE BROKEN: doctor exit 0 after the first up, app ${served.detail}`)
  }
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
  if (flag('--no-repairs')) return finish(0)

  const database = () => databaseOf(ctx)
  let marker = database() ? insertMarker(database()) : 'no database step'
  results.marker = marker
  log(`marker row: ${marker === true ? 'inserted' : `n/a (${marker})`}`)

  for (const repair of repairs(ctx)) {
    const applies = await repair.apply()
    if (applies !== true) {
      results.repairs.push({ name: repair.name, result: 'n/a', detail: applies })
      log(`repair ${repair.name}: n/a (${applies})`)
      continue
    }
    const row = repair.kind === 'repair' ? await plainRepair(repair) : await failThenRecover(repair)
    results.repairs.push(row)
    if (marker === true && repair.dataLost) marker = insertMarker(database())
  }
  const failed = results.repairs.filter((r) => r.result === 'FAIL').length
  return finish(failed === 0 ? 0 : 1)

  async function plainRepair(repair) {
    // Asked before doctor: a breakage the app does not feel (junk in log/, a database.yml it does
    // not read while DATABASE_URL is set) is no premise; doctor green over it is the truth.
    const unaffected = (await answers()).ok
    const before = doctor()
    const fixed = up()
    const after = doctor()
    const served = await answers()
    const changed = fixed.steps.filter((s) => s.status === 'changed').map((s) => s.type)
    // Handlers may follow: restart, and a cleanup whose `when_changed` names a repaired step
    // (the app's own log and cache, cleared after a change as bin/setup did).
    const follows = (stepsOf('cleanup')[0]?.when_changed ?? []).some((id) => repair.expect.includes(id))
    const unexpected = changed.filter(
      (t) => !repair.expect.includes(t) && t !== 'restart' && !(t === 'cleanup' && follows),
    )
    const named = before.unmet.map((s) => s.type)
    const kept = marker === true && !repair.dataLost ? markerKept(database()) : undefined
    const pass =
      before.code === 1 &&
      fixed.code === 0 &&
      after.code === 0 &&
      served.ok &&
      unexpected.length === 0 &&
      changed.length > 0 &&
      kept !== false
    const row = {
      name: repair.name,
      result: pass ? 'pass' : 'FAIL',
      doctorBefore: before.code,
      named: before.unmet.map((s) => `${s.step}: ${s.reason}`),
      up: fixed.code,
      doctorAfter: after.code,
      changed,
      unexpected,
      ms: fixed.ms,
      served: served.detail,
      kept,
    }
    if (before.code === 0 && unaffected) {
      row.result = 'no premise'
      row.detail = 'doctor 0 before, and the app still answered: nothing it feels was broken'
    } else if (before.code === 0)
      results.greenWhileBroken.push({ case: repair.name, detail: 'doctor exit 0 before the repair' })
    if (after.code === 0 && !served.ok)
      results.greenWhileBroken.push({
        case: repair.name,
        detail: `doctor exit 0 after up, app ${served.detail}`,
      })
    if (!pass)
      row.tail =
        tail(fixed, 15) +
        (after.code ? `\ndoctor after: ${after.unmet.map((s) => `${s.step}: ${s.reason}`).join(' | ')}` : '')
    log(
      `repair ${repair.name}: ${row.result} (doctor ${before.code}${named.length ? ` [${named.join(',')}]` : ''} → up ${fixed.code} in ${seconds(fixed.ms)} → doctor ${after.code}; ran: ${changed.join(', ') || 'nothing'}; server ${served.detail}; data ${kept === undefined ? 'n/a' : kept ? 'kept' : 'LOST'})`,
    )
    if (!pass) log(row.tail)
    return row
  }

  async function failThenRecover(repair) {
    const before = doctor()
    const broken = repair.kind === 'crash' ? await crashingUp() : up()
    const leftBehind = processesIn(repo).filter((p) => p.pid !== ctx.foreignPid)
    const failedStep = broken.steps.find((s) => s.status === 'failed')
    const row = {
      name: repair.name,
      doctorBefore: before.code,
      named: before.unmet.map((s) => `${s.step}: ${s.reason}`),
      up: broken.code,
      ms: broken.ms,
      report:
        broken.report ??
        (failedStep ? `[${failedStep.step}] ${failedStep.reason}`.slice(0, 400) : tail(broken, 4)),
      leftBehind: leftBehind.map((p) => `${p.pid} ${p.cmd}`),
    }
    if (repair.kind === 'crash') {
      let crashAt
      try {
        crashAt = ctx.crashStamp ? Number(readFileSync(ctx.crashStamp, 'utf8')) : undefined
      } catch {}
      // The broken value is also the health URL's port: devsetup refuses the step before any start,
      // naming the key (no crash to time, and nothing to wait for: red at once).
      row.refusedBeforeStart =
        !ctx.crashStamp &&
        !broken.crash &&
        broken.code !== 0 &&
        ctx.crashKeyName !== undefined &&
        `${broken.stdout}${broken.stderr}`.includes(`\`${ctx.crashKeyName}\``)
      row.crashMeasure = ctx.crashStamp
        ? 'stamp written by the crashing code'
        : row.refusedBeforeStart
          ? `refused before any start: the health URL reads ${ctx.crashKeyName}, named in the failure`
          : broken.crash
            ? `first crash line arriving in ${path.relative(work, broken.crash.file)}: ${broken.crash.line}`
            : `not measured: no crash line arrived in ${broken.logs.map((f) => path.relative(work, f)).join(', ')}`
      crashAt ??= broken.crash?.at
      if (crashAt !== undefined && broken.code !== 0) {
        // The report: the failed step's end as it arrived; the exit comes after the group's stop.
        if (broken.reportedAt !== undefined) row.crashToReportMs = broken.reportedAt - crashAt
        row.crashToExitMs = broken.ended - crashAt
      }
      // The old measure, beside it: the server log's last write (dates nothing when written after up).
      const lastWrite = serverLogMtime(repo, runEnv, broken.logs[0])
      row.logLastWriteToExitMs = lastWrite === undefined ? undefined : broken.ended - lastWrite
    } else {
      row.namesHolder =
        String(ctx.foreignPid) && `${broken.stdout}${broken.stderr}`.includes(String(ctx.foreignPid))
    }
    // A value the app does not read at boot (Next 12 takes its port from the shell, not .env):
    // nothing crashed, no crash line arrived, and the app still answers. No premise, said so,
    // rather than a green-while-broken that is not one.
    const noPremise = repair.kind === 'crash' && broken.code === 0 && !broken.crash && (await answers()).ok
    killProcessesIn(repo)
    repair.undo()
    const fixed = up()
    const after = doctor()
    const served = await answers()
    const kept = marker === true ? markerKept(database()) : undefined
    row.recoverUp = fixed.code
    row.recoverMs = fixed.ms
    row.doctorAfter = after.code
    row.served = served.detail
    row.kept = kept
    const reported = broken.code !== 0 && (repair.kind !== 'foreign' || row.namesHolder)
    const fast =
      repair.kind !== 'crash' ||
      row.refusedBeforeStart ||
      (row.crashToReportMs !== undefined && row.crashToReportMs <= 2000)
    row.result = noPremise
      ? 'no premise'
      : reported &&
          fast &&
          leftBehind.length === 0 &&
          fixed.code === 0 &&
          after.code === 0 &&
          served.ok &&
          kept !== false
        ? 'pass'
        : 'FAIL'
    if (broken.code === 0 && !noPremise)
      results.greenWhileBroken.push({
        case: repair.name,
        detail: `up exit 0 while ${repair.kind === 'crash' ? 'the server crashes' : 'a foreign process holds the port'}`,
      })
    if (row.result === 'FAIL')
      row.tail = tail(broken, 10) + (fixed.code ? `\nrecover: ${tail(fixed, 8)}` : '')
    log(
      `repair ${repair.name}: ${row.result} (doctor ${before.code} → up ${broken.code} in ${seconds(broken.ms)}${row.crashToExitMs !== undefined ? `, crash → report ${row.crashToReportMs === undefined ? 'none' : seconds(row.crashToReportMs)}, crash → exit ${seconds(row.crashToExitMs)}` : repair.kind === 'crash' ? `, crash ${row.crashMeasure}` : ''}; report: ${row.report}; left behind: ${row.leftBehind.length}; after undo: up ${fixed.code} in ${seconds(fixed.ms)} → doctor ${after.code}, server ${served.detail}, data ${kept === undefined ? 'n/a' : kept ? 'kept' : 'LOST'})`,
    )
    if (row.result === 'FAIL') log(row.tail)
    return row
  }
}

const brief = (s) => ({ step: s.step, type: s.type, status: s.status, reason: s.reason, ms: s.durationMs })

let finishing = false
function finish(code) {
  if (finishing) return
  finishing = true
  try {
    // `devsetup stop` first: does it stop the dev server too (not only the services)?
    const stop = devsetup(['stop'], 60_000)
    const still = processesIn(repo)
    results.stop = {
      code: stop.code,
      output: `${stop.stdout}${stop.stderr}`.trim().slice(-300),
      left: still.map((p) => `${p.pid} ${p.cmd}`),
    }
    log(`devsetup stop: exit ${stop.code}; processes still running in the app: ${still.length}`)
    killServer(repo, runEnv)
  } catch {}
  const left = killProcessesIn(repo)
  if (left.length) {
    results.leftAtEnd = left.map((p) => `${p.pid} ${p.cmd}`)
    log(`left running at the end (killed): ${results.leftAtEnd.join('; ')}`)
  }
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup()
    } catch {}
  }
  // After devsetup's servers are stopped: the app's own script meets the machine as it is.
  if (flag('--bin-setup')) results.binSetup = timeBinSetup({ work, runEnv, freshCopy, log })
  results.finished = new Date().toISOString()
  if (!flag('--keep')) rmSync(work, { recursive: true, force: true })
  else log(`kept ${work}`)
  if (flag('--json')) process.stdout.write(`${JSON.stringify(results)}\n`)
  process.exit(code)
}

main().catch((error) => {
  log(error.stack)
  finish(1)
})
