// --only / --skip: which steps this run is about. Unknown ids are usage errors with a suggestion.
import { UserError } from '../errors.js'
import { didYouMean } from '../recipe/suggest.js'
import type { Recipe } from '../recipe/types.js'

export interface Selection {
  only?: string[] | undefined
  skip?: string[] | undefined
}

/** The steps --only and --skip name, a parallel group's id standing for its steps. */
function named(recipe: Recipe, selection: Selection): { only?: Set<string>; skip?: Set<string> } {
  const groups = new Map<string, string[]>()
  const ids: string[] = []
  for (const item of recipe.items) {
    if (item.kind === 'parallel') {
      groups.set(
        item.id,
        item.steps.map((s) => s.id),
      )
      ids.push(item.id, ...item.steps.map((s) => s.id))
    } else {
      ids.push(item.id)
    }
  }
  const expand = (list: string[] | undefined, flag: string): Set<string> | undefined => {
    if (!list) return undefined
    const result = new Set<string>()
    for (const id of list
      .flatMap((entry) => entry.split(','))
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!ids.includes(id)) {
        throw new UserError(
          `${flag}: no step has the id \`${id}\``,
          `${didYouMean(id, ids)} (\`devsetup list\` shows the ids)`,
        )
      }
      for (const member of groups.get(id) ?? [id]) result.add(member)
    }
    return result
  }
  const only = expand(selection.only, '--only')
  const skip = expand(selection.skip, '--skip')
  return { ...(only && { only }), ...(skip && { skip }) }
}

/** Returns the reason a step is deselected, or undefined when it is selected. */
export function selector(recipe: Recipe, selection: Selection): (stepId: string) => string | undefined {
  const { only, skip } = named(recipe, selection)
  return (stepId) => {
    if (only && !only.has(stepId)) return 'not selected (--only)'
    if (skip?.has(stepId)) return 'skipped by --skip'
    return undefined
  }
}

/**
 * The steps --only leaves out that come before a selected one (in an earlier item: a parallel
 * sibling hands nothing to the steps beside it). A full run would have handed the selected steps
 * what these hand on when met (a runtime's PATH, a service's DATABASE_URL), so their checks still
 * run, never their runs (engine.ts). A step --skip names is left alone: the person chose that.
 */
export function leftOutBefore(recipe: Recipe, selection: Selection): Set<string> {
  const { only, skip } = named(recipe, selection)
  const result = new Set<string>()
  if (!only) return result
  const items = recipe.items.map((item) => (item.kind === 'parallel' ? item.steps : [item]).map((s) => s.id))
  let lastSelected = -1
  items.forEach((ids, index) => {
    if (ids.some((id) => only.has(id) && !skip?.has(id))) lastSelected = index
  })
  for (const ids of items.slice(0, Math.max(lastSelected, 0)))
    for (const id of ids) if (!only.has(id) && !skip?.has(id)) result.add(id)
  return result
}
