// Which changes a step still has to react to. Every change bumps a counter in state.json and
// is stamped on the step that made it (and on each kind it named: `created`, `migrated`).
// A reacting step — a handler such as `restart`, or a step with `when_changed:` — remembers
// the counter it has handled up to; whatever was stamped later is still its to handle, even
// when the run that made the change failed before reaching it.
import type { StepNode } from '../recipe/types.js'
import type { ChangedStep, CheckContext, CheckResult } from '../steps/define.js'
import type { StepOutcome } from './events.js'
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
  /** Changed in this run without a stamp: a dry run's predicted changes. */
  predicted: readonly string[] = [],
): ChangedStep[] {
  const handled = state.record(reactor.id).handledSeq ?? seqAtStart
  const changed: ChangedStep[] = []
  for (const step of steps) {
    if (step.id === reactor.id) continue
    const record = state.record(step.id)
    if (predicted.includes(step.id) && (record.changedSeq ?? 0) <= seqAtStart) {
      changed.push({ id: step.id, kinds: [], restarts: needsRestart(step), thisRun: true })
      continue
    }
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

export const noChanges: CheckContext['changes'] = { thisRun: [], pendingFromEarlierRun: false, steps: [] }

/**
 * The engine's view of changes for one run: what a handler is told (`changesFor`) and whether a
 * `when_changed:` step must run again (`whenChanged`).
 */
export function changeTracker(
  steps: readonly StepNode[],
  state: StateStore,
  seqAtStart: number,
  changedThisRun: readonly string[],
  dryRun: boolean,
) {
  // A dry run stamps nothing: what would run stands for what would change.
  const pending = (step: StepNode) =>
    pendingChanges(step, steps, state, seqAtStart, dryRun ? changedThisRun : [])
  return {
    changesFor(step: StepNode): CheckContext['changes'] {
      const changed = pending(step)
      // A state file from before changes were stamped per step knows only that something changed.
      const unstamped = !steps.some((s) => state.record(s.id).changedSeq !== undefined)
      const behind = (state.record(step.id).handledSeq ?? 0) < seqAtStart
      return {
        thisRun: [...changedThisRun],
        pendingFromEarlierRun: changed.some((c) => !c.thisRun) || (unstamped && behind),
        steps: changed,
      }
    },
    /** `when_changed: [database]`: unmet when a named step changed, even if its own check is met. */
    whenChanged(
      step: StepNode,
      checked: CheckResult,
      mode: 'up' | 'doctor',
      outcomes: ReadonlyMap<string, StepOutcome>,
    ): CheckResult {
      const refs = step.options.whenChanged
      if (!refs) return checked
      const why = whenChangedReason(refs, pending(step))
      // Unmet on its own (config.json missing): it runs anyway, and its own reason says more.
      if (why) return checked.met ? { met: false, reason: why } : checked
      // In doctor, a named step that is unmet means this one will run after it.
      const waiting = refs.filter((ref) => outcomes.get(ref.split(':')[0]!)?.status === 'unmet')
      if (mode === 'doctor' && checked.met && waiting.length > 0)
        return { met: false, reason: `runs again once ${waiting.join(', ')} changes (when_changed)` }
      return checked
    },
  }
}
