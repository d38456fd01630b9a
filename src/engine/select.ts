// --only / --skip: which steps this run is about. Unknown ids are usage errors with a suggestion.
import { UserError } from '../errors.js'
import { didYouMean } from '../recipe/suggest.js'
import type { Recipe } from '../recipe/types.js'

export interface Selection {
  only?: string[] | undefined
  skip?: string[] | undefined
}

/** Returns the reason a step is deselected, or undefined when it is selected. */
export function selector(recipe: Recipe, selection: Selection): (stepId: string) => string | undefined {
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
  return (stepId) => {
    if (only && !only.has(stepId)) return 'not selected (--only)'
    if (skip?.has(stepId)) return 'skipped by --skip'
    return undefined
  }
}
