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
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { startPostgres } from './acceptance/postgres.mjs'
import { killServer, repairs } from './acceptance/repairs.mjs'

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

const cluster = flag('--no-pg') ? undefined : startPostgres(Number(option('--pg-port', '5432')), log)
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

  for (const [name, breakIt, expected] of repairs({ repo, cluster, cleanups, stepsOf })) {
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

function finish(code) {
  killServer(repo)
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
