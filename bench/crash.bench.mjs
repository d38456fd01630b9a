// A crashed dev server is a failure within 2 s of the crash (issue 20), also under a watcher
// that stays alive. `devsetup up` on each crashing start of test/fixtures/restart/crash-group
// (the apps restart-crash-group.test.ts checks for what is reported): crash → report is the
// CLI's exit minus the time the app stamped when it crashed (the CLI's own start-up after the
// crash is inside it, as a person would see it). Baseline, in the same rounds: the app alone
// as the start command, whose exit devsetup sees at once. Target: every median ≤ 2000 ms.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './lib.mjs'

export const title = 'restart: crash → failure report of a dev server (ms), target ≤ 2000 ms'

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
]

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** One `up` of a crashing start in a fresh repository: ms from the app's crash to the CLI's exit. */
async function crashToReport(work, start) {
  const port = await freePort()
  const dir = mkdtempSync(path.join(work, 'app-'))
  cpSync(fixtures, dir, { recursive: true })
  spawnSync('git', ['init', '-q'], { cwd: dir })
  writeFileSync(
    path.join(dir, 'devsetup.yml'),
    `version: 1\nenv:\n  PORT: "${port}"\nsteps:\n  - restart:\n      start: ${start}\n      health: http://127.0.0.1:${port}/\n      health_timeout: 2m\n`,
  )
  const env = { ...process.env, NO_COLOR: '1', CI: '', DEVSETUP_STATE_DIR: path.join(work, 'state') }
  const result = spawnSync(process.execPath, [cli, 'up'], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 150_000,
  })
  const ended = Date.now()
  const output = result.stdout + result.stderr
  if (result.status !== 1 || !/the server crashed|exited with code 1 before becoming healthy/.test(output))
    throw new Error(`\`${start}\`: expected a crash report, got exit ${result.status}:\n${output}`)
  return ended - Number(readFileSync(path.join(dir, 'crashed-at'), 'utf8'))
}

export default async function () {
  const work = mkdtempSync(path.join(tmpdir(), 'devsetup-bench-crash-'))
  try {
    const samples = cases.map(() => [])
    // Interleaved rounds: a load spike on this shared machine hits every case alike.
    for (let round = 0; round < rounds; round++)
      for (const [i, c] of cases.entries()) samples[i].push(await crashToReport(work, c.start))
    const base = samples[0]
    return cases.map((c, i) => {
      const ms = median(samples[i])
      const ratio = median(samples[i].map((s, r) => s / base[r]))
      const verdict = ms <= targetMs ? 'PASS' : 'FAIL'
      return `${c.label.padEnd(66)} ${ms.toFixed(0).padStart(5)} ms  ${ratio.toFixed(2)}x baseline  target ≤ ${targetMs} ms ${verdict}  (runs: ${samples[i].join(', ')})`
    })
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
