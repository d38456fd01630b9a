// The end of an `up`: steps it left ok or changed record what their next check compares with
// (StepBehavior.settle), now that every later step — a restart of the app — has run.
import type { StepNode } from '../recipe/types.js'
import { checkContext, type RunScope } from './context.js'
import type { StepOutcome } from './events.js'
import type { StateStore } from './state.js'

export async function settleSteps(
  steps: readonly StepNode[],
  outcomes: ReadonlyMap<string, StepOutcome>,
  scope: RunScope,
  state: StateStore,
  signal: AbortSignal,
): Promise<void> {
  const settled = steps.filter((step) => {
    const status = outcomes.get(step.id)?.status
    return step.stepType.settle !== undefined && (status === 'ok' || status === 'changed')
  })
  await Promise.all(
    settled.map(async (step) => {
      const draft = state.draft(step.id)
      try {
        await step.stepType.settle!(step.config, checkContext(scope, step, draft, signal, 'verify'))
        draft.commit()
      } catch (error) {
        // Nothing noted is nothing compared: the step's check stays as it was before.
        scope.log?.write(`${step.id}:settle`, String((error as Error)?.message ?? error))
      }
    }),
  )
}
