// Which changes a step still has to react to. Every change bumps a counter in state.json and
// is stamped on the step that made it (and on each kind it named: `created`, `migrated`).
// A reacting step — a handler such as `restart`, or a step with `when_changed:` — remembers
// the counter it has handled up to; whatever was stamped later is still its to handle, even
// when the run that made the change failed before reaching it.
import type { StepNode } from '../recipe/types.js'
import type { ChangedStep } from '../steps/define.js'
import type { StateStore } from './state.js'

/** Whether the step's changes need the app server restarted: its `restarts:`, else its type's default. */
export const needsRestart = (step: StepNode): boolean =>
  step.options.restarts ?? step.stepType.restarts ?? true

/** Steps that changed since `reactor` last handled changes, in recipe order. */
export function pendingChanges(
  reactor: StepNode,
  steps: readonly StepNode[],
  state: StateStore,
  seqAtStart: number,
): ChangedStep[] {
  const handled = state.record(reactor.id).handledSeq ?? seqAtStart
  const changed: ChangedStep[] = []
  for (const step of steps) {
    if (step.id === reactor.id) continue
    const record = state.record(step.id)
    if ((record.changedSeq ?? 0) <= handled) continue
    const kinds = Object.entries(record.changeKinds ?? {})
      .filter(([, seq]) => seq > handled)
      .map(([kind]) => kind)
    changed.push({
      id: step.id,
      kinds,
      restarts: needsRestart(step),
      thisRun: record.changedSeq! > seqAtStart,
    })
  }
  return changed
}

/** `database (created)`, `dependencies`: a changed step as reasons show it. */
export const describeChange = (change: ChangedStep): string =>
  `${change.id}${change.kinds.length > 0 ? ` (${change.kinds.join(', ')})` : ''}`

/**
 * Why a `when_changed: [...]` step must run again, or undefined. `db` matches any change of
 * step `db`; `db:created` only a change of that kind.
 */
export function whenChangedReason(
  refs: readonly string[],
  pending: readonly ChangedStep[],
): string | undefined {
  const hits = pending.filter((change) =>
    refs.some((ref) => {
      const [id, kind] = ref.split(':')
      return id === change.id && (kind === undefined || change.kinds.includes(kind))
    }),
  )
  if (hits.length === 0) return undefined
  const earlier = hits.every((h) => !h.thisRun) ? ' in an earlier run' : ''
  return `${hits.map(describeChange).join(', ')} changed${earlier} (when_changed)`
}
