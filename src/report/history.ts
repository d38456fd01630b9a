// Per-step timings of the recent `up` runs, from the run history devsetup keeps in state:
// `devsetup stats` prints them, the HTML report draws them.
import type { RunRecord } from '../engine/state.js'

export interface StepTimings {
  step: string
  /** Oldest first; only the runs in which the step was checked or ran. */
  durations: number[]
  medianMs: number | undefined
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2)
}

/** `ids` first, in their order (the recipe's steps), then steps the runs know that the recipe no longer has. */
export function stepTimings(runs: readonly RunRecord[], ids: readonly string[]): StepTimings[] {
  const known = new Set(ids)
  const order = [...ids]
  for (const run of runs) {
    for (const id of Object.keys(run.steps)) {
      if (!known.has(id)) {
        known.add(id)
        order.push(id)
      }
    }
  }
  return order.map((step) => {
    const durations = runs.flatMap((run) => (step in run.steps ? [run.steps[step]!] : []))
    return { step, durations, medianMs: median(durations) }
  })
}
