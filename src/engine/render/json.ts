// --json: one JSON object per line on stdout, and nothing else there.
import type { StepNode } from '../../recipe/types.js'
import type { EngineEvents, StepOutcome } from '../events.js'

export function attachJsonRenderer(
  events: EngineEvents,
  write: (line: string) => void,
  verbose: boolean,
): void {
  const emit = (event: Record<string, unknown>) => write(JSON.stringify(event))
  events.on('step:run', (step, reason) =>
    emit({ event: 'step:run', step: step.id, status: 'running', reason }),
  )
  events.on('step:retry', (step, attempt, reason) =>
    emit({ event: 'step:retry', step: step.id, attempt, reason }),
  )
  events.on('step:subtask', (step, sub) => emit({ event: 'step:subtask', step: step.id, ...sub }))
  if (verbose) events.on('step:output', (step, line) => emit({ event: 'step:output', step: step.id, line }))
  const ended = (event: 'step:end' | 'step:late') => (step: StepNode, outcome: StepOutcome) =>
    emit({
      event,
      step: step.id,
      type: step.type,
      title: step.title,
      status: outcome.status,
      reason: outcome.reason,
      durationMs: Math.round(outcome.durationMs),
      ...(outcome.fix ? { fix: outcome.fix } : {}),
      ...(outcome.failure ? { failure: outcome.failure } : {}),
      ...(outcome.commands ? { commands: outcome.commands } : {}),
    })
  events.on('step:end', ended('step:end'))
  // The same fields: its status replaces the one the step's step:end gave (settle.ts).
  events.on('step:late', ended('step:late'))
}
