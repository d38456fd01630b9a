// Timing helpers for the benchmarks: wall time of whole commands, median of N runs.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Runs `command args` `runs` times (after one warm-up) and returns the median wall time in ms. */
export function timeIt(command, args, options = {}, runs = 7) {
  const once = () => {
    const start = process.hrtime.bigint()
    const result = spawnSync(command, args, { stdio: 'ignore', ...options })
    if (result.status !== 0 && !options.allowFailure) {
      throw new Error(`${command} ${args.join(' ')} exited ${result.status}`)
    }
    return Number(process.hrtime.bigint() - start) / 1e6
  }
  if (options.warmup !== false) once()
  return median(Array.from({ length: runs }, once))
}

/** CPU time (user + system, ms) of this process's reaped children so far (Linux; else NaN). */
export function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // cutime and cstime are fields 16 and 17 of stat(5), in clock ticks (100 per second).
    return (Number(fields[13]) + Number(fields[14])) * 10
  } catch {
    return Number.NaN
  }
}

/**
 * Runs every case once per round, round after round (interleaved), so that a load spike on
 * this shared machine hits the baseline as much as the others. Ratios are paired: each
 * round's time divided by the baseline's time in the same round, then the median of those.
 * The first case is the baseline. Returns, per case: median wall ms, mean cpu ms, and the
 * median paired ratios (wall and cpu) against the baseline.
 */
export function compare(cases, { rounds = 15, warmup = true } = {}) {
  const once = (c) => {
    const cpu0 = childrenCpuMs()
    const start = process.hrtime.bigint()
    const result = spawnSync(c.command, c.args, { stdio: 'ignore', ...c.options })
    const wall = Number(process.hrtime.bigint() - start) / 1e6
    if (result.status !== 0 && !c.allowFailure) {
      throw new Error(`${c.command} ${c.args.join(' ')} exited ${result.status}`)
    }
    return { wall, cpu: childrenCpuMs() - cpu0 }
  }
  if (warmup) for (const c of cases) once(c)
  const samples = cases.map(() => [])
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of cases.entries()) samples[i].push(once(c))
  }
  const base = samples[0]
  return cases.map((c, i) => ({
    label: c.label,
    wall: median(samples[i].map((s) => s.wall)),
    cpu: samples[i].reduce((sum, s) => sum + s.cpu, 0) / rounds,
    wallRatio: median(samples[i].map((s, r) => s.wall / base[r].wall)),
    // CPU is counted in 10 ms ticks: a ratio of sums, not of single runs.
    cpuRatio: samples[i].reduce((sum, s) => sum + s.cpu, 0) / base.reduce((sum, s) => sum + s.cpu, 0),
  }))
}

/** One line per case of compare(): label, wall, cpu, both ratios, and the target when given. */
export function formatComparison(results, targets = {}) {
  const [base] = results
  return results.map((r) => {
    const head = `${r.label.padEnd(50)} ${r.wall.toFixed(0).padStart(6)} ms wall ${r.cpu.toFixed(0).padStart(5)} ms cpu`
    if (r === base) return `${head}  (baseline)`
    const target = targets[r.label]
    const verdict =
      target === undefined
        ? ''
        : `  target ≤ ${target}x ${r.wallRatio <= target && r.cpuRatio <= target ? 'PASS' : 'FAIL'}`
    return `${head}  ${r.wallRatio.toFixed(2)}x wall ${r.cpuRatio.toFixed(2)}x cpu${verdict}`
  })
}
