// Running one unmet step: its run, then its check again, as many times as `retries` allows.
// A step still unmet after running has failed; a failure's command and last lines are kept
// for the report, and only a failure pays for the diagnosis (lazy-loading.test.ts).
import { CommandError, DevsetupError } from '../errors.js'
import { formatDuration } from '../recipe/duration.js'
import type { StepNode } from '../recipe/types.js'
import { checkContext, type RunScope, type RunTrace, runContext, safeCheck } from './context.js'
import type { EngineOptions } from './engine.js'
import type { StepOutcome } from './events.js'
import { maskSecrets, shownText } from './mask.js'

export async function runWithRetries(
  step: StepNode,
  why: string,
  scope: RunScope,
  options: EngineOptions,
): Promise<Omit<StepOutcome, 'durationMs'> & { changes?: string[] }> {
  const { signal, state, events } = options
  const attempts = step.options.retries + 1
  let failure: Omit<StepOutcome, 'durationMs'> = { status: 'failed', reason: 'did not run' }
  let lastError: unknown
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) events.emit('step:retry', step, attempt, shownText(failure.reason))
    const timeoutMs = step.options.timeoutMs
    const stepSignal =
      timeoutMs === undefined ? signal : AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
    const draft = state.draft(step.id)
    const trace: RunTrace = { tail: [] }
    lastError = undefined
    try {
      const ctx = runContext(
        scope,
        step,
        draft,
        stepSignal,
        (line) => events.emit('step:output', step, maskSecrets(line)),
        (subtask) =>
          events.emit('step:subtask', step, {
            ...subtask,
            title: shownText(subtask.title),
            ...(subtask.reason !== undefined && { reason: shownText(subtask.reason) }),
          }),
        trace,
      )
      const result = await step.stepType.run(step.config, ctx)
      if (step.stepType.handler) scope.markHandled(step)
      const after = await safeCheck(step, checkContext(scope, step, draft, stepSignal, 'verify'))
      if (after.met) {
        draft.commit()
        if (after.env) Object.assign(scope.runEnv, after.env)
        // Say what was done, or what is true now, never the reason it had to run.
        const done = result?.summary ?? (step.stepType.handler ? why : after.reason)
        if (result?.changed === false) return { status: 'ok', reason: `${why}, nothing to change: ${done}` }
        return { status: 'changed', reason: done, changes: result?.changes ?? [] }
      }
      failure = {
        status: 'failed',
        reason: `ran but still unmet: ${after.reason}`,
        failure: { command: trace.command, tail: [...trace.tail] },
      }
    } catch (error) {
      lastError = error
      failure = describeFailure(error, trace)
      // The person stopped it: no failure report, no diagnosis of output cut short on purpose.
      if (signal.aborted) return { status: 'interrupted', reason: 'interrupted' }
      if (stepSignal.aborted) failure.reason = `timed out after ${formatDuration(timeoutMs ?? 0)}`
      else if (!(error instanceof DevsetupError))
        scope.log?.write(step.id, String((error as Error).stack ?? error))
    }
  }
  // Only a failed step pays for the signature table (lazy-loading.test.ts).
  if (failure.failure)
    await (await import('./diagnose.js')).diagnoseFailure(step, options.recipe, scope, failure, lastError)
  if (step.options.optional) return { ...failure, status: 'warned' }
  return failure
}

function describeFailure(error: unknown, trace: RunTrace): Omit<StepOutcome, 'durationMs'> {
  if (error instanceof CommandError) {
    // A command stopped early may not have flushed its output into its own error yet.
    const tail = error.tail.some((line) => line.trim()) ? error.tail : [...trace.tail]
    return {
      status: 'failed',
      reason: error.message,
      failure: { command: error.command, exitCode: error.commandExitCode, tail },
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  const hint = error instanceof DevsetupError && error.hint ? ` (${error.hint})` : ''
  return {
    status: 'failed',
    reason: `${message}${hint}`,
    failure: { command: trace.command, tail: [...trace.tail] },
  }
}
