// The `restart` step reacts to the changes of the steps before it. A step placed after it
// still changes things in this run, but the restart has already happened: the server picks
// the change up only on the next, otherwise empty run (devsetup's own `add` did this until it
// learnt to place new steps before the first `restart`).
import { needsRestart } from '../engine/changes.js'
import type { RecipeItem, StepNode } from './types.js'

const isRestart = (step: StepNode) => step.type === 'restart'

/** The index in `items` of the first top-level item that is, or holds, a `restart` step. */
export function firstRestartIndex(items: readonly RecipeItem[]): number {
  return items.findIndex((item) => (item.kind === 'parallel' ? item.steps.some(isRestart) : isRestart(item)))
}

/** Whether `restart` reacts to `step`'s changes: its `after:` list, else every step that needs a restart. */
function reactsTo(restart: StepNode, step: StepNode): boolean {
  const after = (restart.config as { after?: string[] } | undefined)?.after
  return after ? after.includes(step.id) : needsRestart(step)
}

/** One warning per step whose change a `restart` earlier in the recipe would have to follow. */
export function orderWarnings(file: string, items: readonly RecipeItem[]): string[] {
  const restarts: StepNode[] = []
  const warnings: string[] = []
  for (const item of items) {
    const steps = item.kind === 'parallel' ? item.steps : [item]
    for (const step of steps) {
      if (isRestart(step)) continue
      const restart = restarts.find((r) => reactsTo(r, step))
      if (!restart) continue
      warnings.push(
        `${file}:${step.position.line}:${step.position.col}: step \`${step.id}\`: runs after the dev server restarted (step \`${restart.id}\`, line ${restart.position.line}): the restart will only come on the next run; move it before \`${restart.id}\``,
      )
    }
    // Steps of the same parallel group run alongside the restart, not after it.
    restarts.push(...steps.filter(isRestart))
  }
  return warnings
}
