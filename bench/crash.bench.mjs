// A crashed dev server is a failure within 2 s of the crash (issue 20), also under a watcher
// that stays alive. `devsetup up` on each crashing start of test/fixtures/restart/crash-group
// (the apps restart-crash-group.test.ts checks for what is reported): crash → report is the
// time the CLI printed its failure line minus the time the app stamped when it crashed (the
// CLI's own start-up after the crash is inside it, as a person would see it); crash → exit
// also counts the stop of the crashed process group, which comes after the report. Baseline,
// in the same rounds: the app alone as the start command, whose exit devsetup sees at once.
// Target: every median crash → report ≤ 2000 ms, and crash → `up`'s exit too: a crashed server
// that never answered gets a short grace before SIGKILL (etherpad's own 3.5 s shutdown on
// SIGTERM made it 5.1 s). Both are also given as ratios against the baseline's.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './lib.mjs'

export const title =
  'restart: crash → failure report and → exit of `up` for a dev server (ms), target ≤ 2000 ms'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'bin', 'devsetup.js')
const fixtures = path.join(root, 'test', 'fixtures', 'restart', 'crash-group')
const rounds = Number(process.env.CRASH_BENCH_ROUNDS ?? 5)
const targetMs = 2000

const cases = [
  { label: 'the app alone: the start command exits (baseline)', start: 'node app.js' },
  { label: 'silent watcher, the app exits after its report', start: 'node watch.js app.js' },
  { label: 'silent watcher, the app stays stuck after its report', start: 'node watch.js stuck.js' },
  {
    label: 'concurrently: unhandled rejection, never listens, front end prints',
    start: 'node concurrently.js frontend.js backend.js',
  },
  {
    // docmost's MAIL_DRIVER=bogus: the app exits in its own words (no Error) under a watcher, vite idles beside.
    label: 'concurrently: app exits saying it gives up, quiet front end lives',
    start: 'node concurrently.js vite.js "nest.js env-exit.js"',
  },
  {
    // docmost's shape: 26 processes under `concurrently`, whose stop took up to 1.6 s.
    label: 'large group: that app beside 24 processes taking 1 s to stop',
    start: 'node crowd.js backend.js',
    env: { CROWD: '24', LINGER: '1' },
  },
  {
    // etherpad's `"port": 99999`: the error at boot, alive and idle, its own 3 s shutdown on SIGTERM.
    label: 'never answered, idle after its error, 3 s shutdown on SIGTERM',
    start: 'node slow-stop.js',
  },
  {
    // Maintainerr's root `turbo dev` without data/: the API exits in its own words, vite listens on.
    label: 'turbo: API exits in its words under nest --watch, UI listens',
    start: 'bash turbo.sh "nest.js data-dir.js" ui.js',
    ports: ['UI_PORT'],
  },
]

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** One `up` of a crashing start in a fresh repository: ms from the app's crash to the failure line, and to the exit. */
async function crashToReport(work, { start, env: appEnv = {}, ports = [] }) {
  const port = await freePort()
  // Other ports the start listens on (the UI beside the API), each a free one.
  for (const name of ports) appEnv = { ...appEnv, [name]: String(await freePort()) }
  const dir = mkdtempSync(path.join(work, 'app-'))
  cpSync(fixtures, dir, { recursive: true })
  spawnSync('git', ['init', '-q'], { cwd: dir })
  const vars = Object.entries({ PORT: String(port), ...appEnv }).map(([k, v]) => `  ${k}: "${v}"\n`)
  writeFileSync(
    path.join(dir, 'devsetup.yml'),
    `version: 1\nenv:\n${vars.join('')}steps:\n  - restart:\n      start: ${start}\n      health: http://127.0.0.1:${port}/\n      health_timeout: 2m\n`,
  )
  const env = { ...process.env, NO_COLOR: '1', CI: '', DEVSETUP_STATE_DIR: path.join(work, 'state') }
  const child = spawn(process.execPath, [cli, 'up'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  let reported
  // The plain renderer's line for the step's end: `✖ Restart … — failed: …`.
  child.stdout.on('data', (chunk) => {
    output += chunk
    if (reported === undefined && /— failed: /.test(output)) reported = Date.now()
  })
  child.stderr.on('data', (chunk) => {
    output += chunk
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), 150_000)
  const status = await new Promise((resolve) => child.on('close', resolve))
  const ended = Date.now()
  clearTimeout(timer)
  if (
    status !== 1 ||
    reported === undefined ||
    !/the server crashed|exited with code 1 before becoming healthy/.test(output)
  )
    throw new Error(`\`${start}\`: expected a crash report, got exit ${status}:\n${output}`)
  const crashed = Number(readFileSync(path.join(dir, 'crashed-at'), 'utf8'))
  return { report: reported - crashed, exit: ended - crashed }
}

export default async function () {
  const work = mkdtempSync(path.join(tmpdir(), 'devsetup-bench-crash-'))
  try {
    const samples = cases.map(() => [])
    // Interleaved rounds: a load spike on this shared machine hits every case alike.
    for (let round = 0; round < rounds; round++)
      for (const [i, c] of cases.entries()) samples[i].push(await crashToReport(work, c))
    const base = samples[0]
    return cases.map((c, i) => {
      const reports = samples[i].map((s) => s.report)
      const exits = samples[i].map((s) => s.exit)
      const ms = median(reports)
      const exit = median(exits)
      const ratio = median(reports.map((s, r) => s / base[r].report))
      const exitRatio = median(exits.map((s, r) => s / base[r].exit))
      const verdict = ms <= targetMs && exit <= targetMs ? 'PASS' : 'FAIL'
      return `${c.label.padEnd(66)} report ${ms.toFixed(0).padStart(5)} ms  ${ratio.toFixed(2)}x baseline  exit ${exit.toFixed(0).padStart(5)} ms  ${exitRatio.toFixed(2)}x baseline  target ≤ ${targetMs} ms ${verdict}  (reports: ${reports.join(', ')}; exits: ${exits.join(', ')})`
    })
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
