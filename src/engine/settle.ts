// The end of an `up`: steps it left ok or changed record what their next check compares with
// (StepBehavior.settle), now that every later step — a restart of the app — has run.
//
// A settle may also find that what the step's run left is not true at the end after all (a
// table it found gone, for the restart to make again, is still gone): it returns a verdict,
// and the step fails late. Without that the `up` ended green and exited 0 while the app
// answered 500, and only the next doctor said so.
import type { StepNode } from '../recipe/types.js'
import type { SettleVerdict } from '../steps/define.js'
import { checkContext, type RunScope } from './context.js'
import type { StepOutcome } from './events.js'
import type { StateStore } from './state.js'

/** Settles each step the run left well; returns the verdicts that fail a step, by step id. */
export async function settleSteps(
  steps: readonly StepNode[],
  outcomes: ReadonlyMap<string, StepOutcome>,
  scope: RunScope,
  state: StateStore,
  signal: AbortSignal,
): Promise<Map<string, SettleVerdict>> {
  const settled = steps.filter((step) => {
    const status = outcomes.get(step.id)?.status
    return step.stepType.settle !== undefined && (status === 'ok' || status === 'changed')
  })
  const verdicts = new Map<string, SettleVerdict>()
  await Promise.all(
    settled.map(async (step) => {
      const draft = state.draft(step.id)
      try {
        const verdict = await step.stepType.settle!(
          step.config,
          checkContext(scope, step, draft, signal, 'verify'),
        )
        // Noted even with a verdict: what it found (a loss still there) is what the next check must see.
        draft.commit()
        if (verdict) verdicts.set(step.id, verdict)
      } catch (error) {
        // Nothing noted is nothing compared: the step's check stays as it was before. A read
        // that failed is no verdict on the step either: it proves nothing about the app.
        scope.log?.write(`${step.id}:settle`, String((error as Error)?.message ?? error))
      }
    }),
  )
  return verdicts
}

/**
 * The step's outcome once its settle gave a verdict: failed (warned when `optional`), in the
 * words a run's failure has (the hint in parentheses, as run-step.ts shows a DevsetupError's).
 * The step's duration stays its own; the verdict took no time of its work.
 */
export function lateOutcome(step: StepNode, ended: StepOutcome, verdict: SettleVerdict): StepOutcome {
  const hint = verdict.hint ? ` (${verdict.hint})` : ''
  return {
    status: step.options.optional ? 'warned' : 'failed',
    reason: `${verdict.reason}${hint}`,
    durationMs: ended.durationMs,
    late: true,
  }
}
