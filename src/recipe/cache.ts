// A re-run of an unchanged recipe skips parsing it: after a successful `up`, the checked recipe
// is kept in the repository's state folder as JSON, under a key made of everything the parse
// depends on — devsetup's build, the recipe's path and bytes, the folder it is shown from, and
// the value of every variable its text names. The next `up` or `doctor` with the same key
// takes the steps from there and never loads the YAML parser, zod or the step schemas (about
// a third of the code a no-op run used to compile). Any doubt is a miss: an unreadable or
// foreign file, an unknown step type, a recipe whose JSON form would not read back the same.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { writeFileAtomic } from '../engine/write-atomic.js'
import type { AnyStepType } from '../steps/define.js'
import type { Recipe, RecipeItem } from './types.js'

declare const DEVSETUP_BUILD: string
/** Changes with every change to devsetup's code or libraries (scripts/build.mjs); unbundled: no cache. */
const build = typeof DEVSETUP_BUILD === 'string' ? DEVSETUP_BUILD : undefined

export const recipeCacheName = 'recipe.json'

export interface CacheSlot {
  file: string
  key: string
}

/** Where the recipe at `recipeFile`, read as `text` from `display`, is cached in `stateDir`. */
export function cacheSlot(
  stateDir: string,
  recipeFile: string,
  display: string,
  text: string,
  env: NodeJS.ProcessEnv,
  buildId = build,
): CacheSlot | undefined {
  if (buildId === undefined) return undefined
  const hash = createHash('sha256')
  for (const part of [buildId, recipeFile, display, text]) hash.update(part).update('\0')
  // `${NAME}` is the only way the environment reaches a parsed recipe (interpolate.ts); a
  // name in a comment or an escaped `$${NAME}` is counted too, which can only cause a miss.
  const names = [...new Set(text.match(/(?<=\$\{)[A-Za-z_][A-Za-z0-9_]*/g))].sort()
  hash.update(JSON.stringify(names.map((name) => [name, env[name] ?? null])))
  return { file: path.join(stateDir, recipeCacheName), key: hash.digest('hex') }
}

type Stored = Omit<Recipe, 'items'> & { items: unknown[] }

/** The cached recipe for `slot`, or undefined on any doubt. */
export function readCachedRecipe(
  slot: CacheSlot,
  types: ReadonlyMap<string, AnyStepType>,
): Recipe | undefined {
  try {
    const stored = restoreUndefined(JSON.parse(readFileSync(slot.file, 'utf8'))) as {
      key?: unknown
      recipe?: Stored
    }
    if (stored.key !== slot.key || !stored.recipe || !Array.isArray(stored.recipe.items)) return undefined
    return revive(stored.recipe, types)
  } catch {
    return undefined
  }
}

/**
 * A key whose value is `undefined` (configs have them: `{ manager: undefined, frozen: true }`)
 * is stored as this string, which no recipe value can be: recipes may not hold NUL (screen.ts).
 */
const undefinedValue = '\u0000undefined'

/** Puts the `undefined` values back (JSON.parse's reviver would delete those keys instead). */
function restoreUndefined(value: unknown): unknown {
  if (value === undefinedValue) return undefined
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) record[key] = restoreUndefined(record[key])
  }
  return value
}

/**
 * Keeps `recipe` for the next run, when its JSON form reads back exactly the same (a value
 * JSON cannot hold, such as a Date or Infinity, means no cache, not a wrong one).
 * Best effort: a read-only or full disk only costs the next run its speed.
 */
export function writeCachedRecipe(
  slot: CacheSlot,
  recipe: Recipe,
  types: ReadonlyMap<string, AnyStepType>,
): boolean {
  try {
    const json = JSON.stringify({ key: slot.key, recipe }, (key, value) =>
      key === 'stepType' ? undefined : value === undefined ? undefinedValue : value,
    )
    const back = revive((restoreUndefined(JSON.parse(json)) as { recipe: Stored }).recipe, types)
    if (!back || !isDeepStrictEqual(back, recipe)) return false
    writeFileAtomic(slot.file, json)
    return true
  } catch {
    return false
  }
}

/** The stored items with their step types put back; undefined when a type is unknown. */
function revive(stored: Stored, types: ReadonlyMap<string, AnyStepType>): Recipe | undefined {
  const step = (value: unknown) => {
    const node = value as { kind?: unknown; type?: unknown }
    if (node?.kind !== 'step' || typeof node.type !== 'string' || !types.has(node.type)) throw new Miss()
    return { ...node, stepType: types.get(node.type) }
  }
  try {
    const items = stored.items.map((value) => {
      const item = value as { kind?: unknown; steps?: unknown }
      if (item?.kind !== 'parallel') return step(value)
      if (!Array.isArray(item.steps)) throw new Miss()
      return { ...item, steps: item.steps.map(step) }
    })
    return { ...stored, items: items as RecipeItem[] }
  } catch (error) {
    if (error instanceof Miss) return undefined
    throw error
  }
}

class Miss extends Error {}
