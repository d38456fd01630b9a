// Cleaning a big cache folder must cost about what `rm -rf` costs: `devsetup up` with a
// recipe holding only `cleanup: { paths: [tmp/cache] }` (whole CLI: startup, check,
// delete, re-check, state) against `rm -rf tmp/cache`, each on a freshly built, identical
// tree of 100,000 small files. Runs alternate so both see the same disk conditions.
// Target: within 1.2x of rm -rf, in wall time and in CPU time (user + system).
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { childrenCpuMs } from './lib.mjs'

export const title = 'cleanup: devsetup up vs rm -rf (100,000 small files)'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'bin', 'devsetup.js')
const folders = 100
const filesPerFolder = 1000
const runs = Number(process.env.CLEANUP_BENCH_RUNS ?? 3)

/** tmp/cache/dNNN/sub/fNNN.txt: 100 folders of 1,000 files of 100 bytes. */
function buildTree(repo) {
  const body = 'x'.repeat(100)
  for (let d = 0; d < folders; d++) {
    const dir = path.join(repo, 'tmp', 'cache', `d${d}`, 'sub')
    mkdirSync(dir, { recursive: true })
    for (let f = 0; f < filesPerFolder; f++) writeFileSync(path.join(dir, `f${f}.txt`), body)
  }
}

function timed(command, args, cwd) {
  const cpu0 = childrenCpuMs()
  const start = process.hrtime.bigint()
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`)
  return { ms, cpu: childrenCpuMs() - cpu0, stdout: result.stdout }
}

export default async function ({ median }) {
  const base = mkdtempSync(path.join(tmpdir(), 'devsetup-bench-cleanup-'))
  const repo = path.join(base, 'repo')
  const plain = path.join(base, 'plain')
  mkdirSync(repo)
  mkdirSync(plain)
  spawnSync('git', ['init', '-q'], { cwd: repo })
  writeFileSync(
    path.join(repo, 'devsetup.yml'),
    'version: 1\nsteps:\n  - cleanup:\n      paths: [tmp/cache]\n',
  )
  const devsetupTimes = []
  const rmTimes = []
  const devsetupCpu = []
  const rmCpu = []
  // The CLI's own cost with nothing to clean (start-up, recipe, state): a floor no deleting can go under.
  const noopCpu = []
  let summary = ''
  try {
    // Warm-up: load the CLI and fs caches once, untimed.
    writeFileSync(path.join(repo, 'tmp-warm'), '')
    mkdirSync(path.join(repo, 'tmp', 'cache'), { recursive: true })
    timed(process.execPath, [cli, 'up'], repo)
    for (let i = 0; i < runs; i++) {
      // Both trees built and written out (sync) before either is timed; who goes first alternates.
      buildTree(repo)
      buildTree(plain)
      spawnSync('sync')
      const ours = () => {
        const run = timed(process.execPath, [cli, 'up'], repo)
        devsetupTimes.push(run.ms)
        devsetupCpu.push(run.cpu)
        summary = run.stdout.split('\n').find((line) => line.includes('changed:')) ?? summary
        noopCpu.push(timed(process.execPath, [cli, 'up'], repo).cpu)
      }
      const theirs = () => {
        const rm = timed('rm', ['-rf', 'tmp/cache'], plain)
        rmTimes.push(rm.ms)
        rmCpu.push(rm.cpu)
      }
      if (i % 2 === 0) {
        ours()
        theirs()
      } else {
        theirs()
        ours()
      }
    }
  } finally {
    rmSync(base, { recursive: true, force: true })
  }
  const fmt = (ms) => `${Math.round(ms)} ms`
  // Paired: each round's devsetup run against that round's rm -rf.
  const wallRatio = median(devsetupTimes.map((ms, i) => ms / rmTimes[i]))
  const cpuRatio = median(devsetupCpu.map((ms, i) => ms / Math.max(rmCpu[i], 10)))
  const verdict = wallRatio <= 1.2 && cpuRatio <= 1.2 ? 'PASS' : 'FAIL'
  return [
    `devsetup up (cleanup)  ${fmt(median(devsetupTimes))} wall, ${fmt(median(devsetupCpu))} cpu  (runs: ${devsetupTimes.map(fmt).join(', ')})`,
    `rm -rf                 ${fmt(median(rmTimes))} wall, ${fmt(median(rmCpu))} cpu  (runs: ${rmTimes.map(fmt).join(', ')})`,
    `ratio                  ${wallRatio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x cpu  (median of paired rounds; target ≤ 1.2x both) ${verdict}`,
    `devsetup up, nothing to clean: ${fmt(median(noopCpu))} cpu (the CLI's fixed cost, included above)`,
    `last run said: ${summary.trim()}`,
  ]
}
