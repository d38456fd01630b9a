// --json: one JSON object per line on stdout, and nothing else there.
import type { EngineEvents } from '../events.js'

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
  events.on('step:end', (step, outcome) =>
    emit({
      event: 'step:end',
      step: step.id,
      type: step.type,
      title: step.title,
      status: outcome.status,
      reason: outcome.reason,
      durationMs: Math.round(outcome.durationMs),
      ...(outcome.fix ? { fix: outcome.fix } : {}),
      ...(outcome.failure ? { failure: outcome.failure } : {}),
      ...(outcome.commands ? { commands: outcome.commands } : {}),
    }),
  )
}
