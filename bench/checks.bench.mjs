// Checks run at once: a recipe of 8 steps whose checks each take 200 ms (`sleep 0.2`) must
// cost about one such check, not eight. Engine-timed (the summary's durationMs of
// `devsetup doctor --json`), runs of the 1-step and the 8-step recipe alternating.
// Target: 8 checks ≤ 1.3x one check.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './lib.mjs'

export const title = 'Checks run concurrently: 8 met checks of 200 ms vs one (engine-timed)'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'bin', 'devsetup.js')

function recipe(dir, count) {
  const steps = Array.from(
    { length: count },
    (_, i) => `  - { name: s${i}, run: 'true', check: sleep 0.2 }\n`,
  )
  writeFileSync(path.join(dir, 'devsetup.yml'), `version: 1\nsteps:\n${steps.join('')}`)
}

function engineMs(dir) {
  const result = spawnSync(process.execPath, [cli, 'doctor', '--json', '--cwd', dir], { encoding: 'utf8' })
  const summary = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .find((event) => event.event === 'summary')
  if (result.status !== 0 || summary?.status !== 'ok')
    throw new Error(`doctor failed in ${dir}:\n${result.stdout}${result.stderr}`)
  return summary.durationMs
}

export default async function () {
  const work = mkdtempSync(path.join(tmpdir(), 'devsetup-bench-checks-'))
  try {
    const one = path.join(work, 'one')
    const eight = path.join(work, 'eight')
    for (const [dir, count] of [
      [one, 1],
      [eight, 8],
    ]) {
      spawnSync('mkdir', ['-p', dir])
      recipe(dir, count)
    }
    engineMs(one)
    engineMs(eight)
    const rounds = Number(process.env.CHECKS_BENCH_ROUNDS ?? 11)
    const ones = []
    const eights = []
    for (let i = 0; i < rounds; i++) {
      ones.push(engineMs(one))
      eights.push(engineMs(eight))
    }
    const ratio = median(eights.map((ms, i) => ms / ones[i]))
    return [
      `1 check of 200 ms     ${median(ones).toFixed(0).padStart(5)} ms  (runs: ${ones.join(', ')})`,
      `8 checks of 200 ms    ${median(eights).toFixed(0).padStart(5)} ms  (runs: ${eights.join(', ')})`,
      `ratio ${ratio.toFixed(2)}x (median of paired rounds; target ≤ 1.3x) ${ratio <= 1.3 ? 'PASS' : 'FAIL'}`,
    ]
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
