// Cleaning a big cache folder must cost about what `rm -rf` costs: `devsetup up` with a
// recipe holding only `cleanup: { paths: [tmp/cache] }` (whole CLI: startup, check,
// delete, re-check, state) against `rm -rf tmp/cache`, each on a freshly built, identical
// tree of 100,000 small files. Runs alternate so both see the same disk conditions.
// Target: within 1.5x of rm -rf.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

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
  const start = process.hrtime.bigint()
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`)
  return { ms, stdout: result.stdout }
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
  let summary = ''
  try {
    // Warm-up: load the CLI and fs caches once, untimed.
    writeFileSync(path.join(repo, 'tmp-warm'), '')
    mkdirSync(path.join(repo, 'tmp', 'cache'), { recursive: true })
    timed(process.execPath, [cli, 'up'], repo)
    for (let i = 0; i < runs; i++) {
      buildTree(repo)
      const run = timed(process.execPath, [cli, 'up'], repo)
      devsetupTimes.push(run.ms)
      summary = run.stdout.split('\n').find((line) => line.includes('changed:')) ?? summary
      buildTree(plain)
      rmTimes.push(timed('rm', ['-rf', 'tmp/cache'], plain).ms)
    }
  } finally {
    rmSync(base, { recursive: true, force: true })
  }
  const ours = median(devsetupTimes)
  const theirs = median(rmTimes)
  const fmt = (ms) => `${Math.round(ms)} ms`
  return [
    `devsetup up (cleanup)  ${fmt(ours)}  (runs: ${devsetupTimes.map(fmt).join(', ')})`,
    `rm -rf                 ${fmt(theirs)}  (runs: ${rmTimes.map(fmt).join(', ')})`,
    `ratio                  ${(ours / theirs).toFixed(2)}x  (target: within 1.5x)`,
    `last run said: ${summary.trim()}`,
  ]
}
