// Step ids for --only / --skip: explicit ones must be unique; derived ones (from the
// name, else the type) get -2, -3, ... so that every id is unique.
import { maskSecrets } from '../engine/mask.js'
import type { RecipeProblem } from '../errors.js'
import type { RecipeSource } from './source.js'
import type { RecipeItem } from './types.js'

export function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return slug || 'step'
}

/** Everything that has an id, in file order: steps, parallel groups and their steps. */
export function idOwners(items: readonly RecipeItem[]): RecipeItem[] {
  return items.flatMap((item) => (item.kind === 'parallel' ? [item, ...item.steps] : [item]))
}

/**
 * `base`, or `base-2`, `base-3`, ...: the first that is not taken. `next` remembers where each
 * base's search ended, so that 4,000 unnamed `run` steps cost 4,000 lookups, not 8 million.
 */
export function uniqueId(
  base: string,
  taken: { has(id: string): boolean },
  next: Map<string, number> = new Map(),
): string {
  // Ids are only ever added to `taken`, so the numbers below `next` stay taken.
  let n = next.get(base) ?? 1
  let id = n === 1 ? base : `${base}-${n}`
  while (taken.has(id)) {
    n++
    id = `${base}-${n}`
  }
  next.set(base, n)
  return id
}

type WithExplicit = {
  id: string
  explicitId?: boolean
  name?: string
  position: { line: number; col: number }
}

export function assignIds(source: RecipeSource, items: RecipeItem[]): RecipeProblem[] {
  const problems: RecipeProblem[] = []
  const all: WithExplicit[] = idOwners(items)
  const taken = new Map<string, WithExplicit>()
  for (const item of all) {
    if (!item.explicitId) continue
    const first = taken.get(item.id)
    if (first) {
      const { line, col } = item.position
      problems.push({
        message: `duplicate step id \`${item.id}\` (first used at line ${first.position.line})`,
        line,
        col,
        sourceLine: source.lines[line - 1] ?? '',
        hint: 'ids must be unique: rename one of them',
      })
    } else {
      taken.set(item.id, item)
    }
  }
  const next = new Map<string, number>()
  for (const item of all) {
    if (item.explicitId) continue
    // From the name as shown: a token interpolated into `name:` must not live on in the id.
    const base = item.name ? slugify(maskSecrets(item.name)) : derivedBase(item as RecipeItem)
    const id = uniqueId(base, taken, next)
    item.id = id
    taken.set(id, item)
  }
  for (const item of all) delete item.explicitId
  return problems
}

function derivedBase(item: RecipeItem): string {
  return item.kind === 'parallel' ? 'parallel' : item.type
}
