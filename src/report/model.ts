// What a doctor report holds, whatever its format: the checklist in recipe order, the recipe's
// changes since the last successful run, and the recent `up` runs' timings from state.
import type { StepOutcome, StepStatus } from '../engine/events.js'
import type { RecipeChanges } from '../engine/recipe-changes.js'
import type { RunRecord } from '../engine/state.js'
import { allSteps, type Recipe } from '../recipe/types.js'
import type { Checkout } from './repository.js'

export interface ReportStep {
  id: string
  type: string
  title: string
  /** The parallel group's id, for a step inside one. */
  group?: string
  status: StepStatus
  reason: string
  fix?: string
  durationMs: number
}

export interface DoctorReport {
  /** The recipe file as the user names it (relative to where devsetup was started). */
  recipeFile: string
  /** Which repository, branch and commit was checked. */
  checkout?: Checkout
  generatedAt: Date
  durationMs: number
  ready: boolean
  steps: ReportStep[]
  changes: RecipeChanges | undefined
  /** When the recipe was last remembered (a successful `up`); undefined: never. */
  lastSuccessAt: string | undefined
  runs: readonly RunRecord[]
}

/** How each format shows a step: passed, failed (with reason and fix) or skipped. */
export type Verdict = 'pass' | 'fail' | 'skip'

export function verdictOf(status: StepStatus): Verdict {
  if (status === 'unmet' || status === 'failed') return 'fail'
  if (status === 'skipped' || status === 'not-run' || status === 'interrupted') return 'skip'
  return 'pass'
}

export function reportSteps(recipe: Recipe, outcomes: ReadonlyMap<string, StepOutcome>): ReportStep[] {
  const groupOf = new Map<string, string>()
  for (const item of recipe.items) {
    if (item.kind === 'parallel') for (const step of item.steps) groupOf.set(step.id, item.id)
  }
  return allSteps(recipe).flatMap((step) => {
    const outcome = outcomes.get(step.id)
    if (!outcome) return []
    const group = groupOf.get(step.id)
    return [
      {
        id: step.id,
        type: step.type,
        title: step.title,
        ...(group ? { group } : {}),
        status: outcome.status,
        reason: outcome.reason,
        ...(outcome.fix ? { fix: outcome.fix } : {}),
        durationMs: outcome.durationMs,
      },
    ]
  })
}

/** Unmet steps first (what the reader came for), the others after them; each in recipe order. */
export function unmetFirst(steps: readonly ReportStep[]): ReportStep[] {
  const rank = (step: ReportStep) => (verdictOf(step.status) === 'fail' ? 0 : 1)
  return [...steps].sort((a, b) => rank(a) - rank(b))
}

export function countVerdicts(steps: readonly ReportStep[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { pass: 0, fail: 0, skip: 0 }
  for (const step of steps) counts[verdictOf(step.status)]++
  return counts
}

/** "2 of 7 steps unmet" / "all 7 steps met": the headline every format opens with. */
export function headline(report: DoctorReport): string {
  const counts = countVerdicts(report.steps)
  const checked = counts.pass + counts.fail
  if (report.ready) return `ready: all ${checked} checked step${checked === 1 ? '' : 's'} met`
  return `not ready: ${counts.fail} of ${checked} checked step${checked === 1 ? '' : 's'} unmet`
}

/** Seconds with millisecond precision, as JUnit's `time` wants it. */
export const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3)
