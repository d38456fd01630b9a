// Whether a restart step must run this time: after which changes (this run's, or an earlier
// run's that failed before reaching it), or why the changes seen need none.
import { describeChange } from '../../engine/changes.js'
import type { ChangedStep, CheckContext } from '../define.js'
import type { RestartConfig } from './schema.js'

/**
 * Why the restart must run, or why the changes seen do not need one; `late` when the changes
 * it follows were all made by an earlier run (its line must say so: nothing in this run changed).
 */
export function trigger(
  cfg: RestartConfig,
  ctx: CheckContext,
): { run?: string; skip?: string; late?: boolean } {
  if (cfg.when === 'always') return { run: 'runs every time (when: always)' }
  const changed = ctx.changes.steps
  const matters = (c: ChangedStep) => (cfg.after ? cfg.after.includes(c.id) : c.restarts)
  const relevant = changed.filter(matters)
  if (relevant.length > 0) {
    const late = relevant.every((c) => !c.thisRun)
    return {
      run: `${relevant.map(describeChange).join(', ')} changed${late ? ' in an earlier run' : ''}`,
      late,
    }
  }
  // A state file from before changes were recorded per step.
  if (changed.length === 0 && ctx.changes.pendingFromEarlierRun)
    return { run: 'restart pending from an earlier run', late: true }
  if (changed.length === 0) return {}
  const ids = changed.map((c) => c.id).join(', ')
  return {
    skip: cfg.after
      ? `only ${ids} changed; this restart follows ${cfg.after.join(', ')}`
      : `only ${ids} changed, which needs no restart`,
  }
}
