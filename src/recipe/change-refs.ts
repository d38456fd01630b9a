// `when_changed: [database]` and a restart's `after: [dependencies]` name other steps by id:
// a misspelled id would silently never trigger, so it is a recipe error, with a suggestion.
import type { RecipeProblem } from '../errors.js'
import type { RecipeSource } from './source.js'
import { didYouMean } from './suggest.js'
import { allSteps, type RecipeItem, type StepNode } from './types.js'

function refsOf(step: StepNode): { key: string; refs: string[] }[] {
  const lists = [{ key: 'when_changed', refs: step.options.whenChanged ?? [] }]
  const after = (step.config as { after?: string[] } | undefined)?.after
  if (step.type === 'restart' && after) lists.push({ key: 'after', refs: after })
  return lists
}

export function checkChangeRefs(source: RecipeSource, items: RecipeItem[]): RecipeProblem[] {
  const steps = allSteps({ items })
  const ids = steps.map((s) => s.id)
  const problems: RecipeProblem[] = []
  for (const step of steps) {
    for (const { key, refs } of refsOf(step)) {
      for (const ref of refs) {
        const id = ref.split(':')[0]!
        const problem =
          id === step.id ? 'names the step itself' : ids.includes(id) ? undefined : 'is not a step id'
        if (!problem) continue
        const { line, col } = step.position
        problems.push({
          message: `step \`${step.id}\`: \`${key}\` entry \`${ref}\` ${problem}`,
          line,
          col,
          sourceLine: source.lines[line - 1] ?? '',
          hint: `${didYouMean(
            id,
            ids.filter((other) => other !== step.id),
          )} (ids are shown by \`devsetup list\`)`,
        })
      }
    }
  }
  return problems
}
