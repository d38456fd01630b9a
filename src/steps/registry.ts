// A registry whose step types load on demand. The recipe loader reads it synchronously
// (a ReadonlyMap, as it always did), so the types a recipe names are loaded before it is
// parsed: loadStepTypesFor(recipe text) in src/cli.ts, before every command that reads a
// recipe; loadStepTypes() (all of them) where every type is needed: `schema`, `add`, `init`,
// and the unit tests (test/setup.ts). Every name is known from the start, so unknown-type
// errors and suggestions stay the same.
import type { AnyStepType } from './define.js'

type Loaders = Record<string, () => Promise<AnyStepType>>

export function lazyRegistry(loaders: Loaders) {
  const names = Object.keys(loaders)
  const loaded = new Map<string, AnyStepType>()
  const loadedType = (name: string): AnyStepType => {
    const type = loaded.get(name)
    if (!type) throw new Error(`step type \`${name}\` was used before loadStepTypes() loaded it`)
    return type
  }
  const all = () => names.map((name) => [name, loadedType(name)] as [string, AnyStepType])

  const stepTypes: ReadonlyMap<string, AnyStepType> = {
    get size() {
      return names.length
    },
    has: (name) => Object.hasOwn(loaders, name),
    get: (name) => (Object.hasOwn(loaders, name) ? loadedType(name) : undefined),
    keys: () => names[Symbol.iterator](),
    values: () =>
      all()
        .map(([, type]) => type)
        [Symbol.iterator](),
    entries: () => all()[Symbol.iterator](),
    forEach: (fn, thisArg) => {
      for (const [name, type] of all()) fn.call(thisArg, type, name, stepTypes)
    },
    [Symbol.iterator]: () => all()[Symbol.iterator](),
  }

  /** Loads the named step types (every type when none are named); unknown names are ignored. */
  async function loadStepTypes(wanted: Iterable<string> = names): Promise<void> {
    const missing = [...new Set(wanted)].filter((name) => Object.hasOwn(loaders, name) && !loaded.has(name))
    const types = await Promise.all(missing.map((name) => loaders[name]!()))
    for (const [i, name] of missing.entries()) loaded.set(name, types[i]!)
  }

  /**
   * Loads every step type a recipe's text could name: each type whose name appears in it as a
   * word. A superset (a comment that says `database` loads that type too), never less: a
   * type key is always spelled out, since keys are not interpolated. An escape sequence in a
   * quoted string could spell one otherwise, so then every type is loaded.
   */
  async function loadStepTypesFor(recipeText: string): Promise<void> {
    if (/\\[uUx0-9]/.test(recipeText)) return loadStepTypes()
    const words = new Set(recipeText.match(/[A-Za-z0-9_]+/g))
    return loadStepTypes(names.filter((name) => words.has(name)))
  }

  return { stepTypes, loadStepTypes, loadStepTypesFor }
}
