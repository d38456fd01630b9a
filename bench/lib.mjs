// Timing helpers for the benchmarks: wall time of whole commands, median of N runs.
import { spawnSync } from 'node:child_process'

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
