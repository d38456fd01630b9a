// A registry whose step types load on demand, in two parts: a type's behaviour (check, run,
// title: what a run needs) and its zod schema (what parsing a recipe needs). The recipe
// loader reads the registry synchronously (a ReadonlyMap, as it always did), so the parts a
// recipe needs are loaded before, by loadRecipe (src/recipe/load.ts): the behaviours of the
// types it names, and their schemas when the recipe has to be parsed (not when an unchanged
// recipe comes from src/recipe/cache.ts). loadStepTypes() loads every part of every type:
// the commands that do not read a recipe through loadRecipe (src/steps/preload.ts), and the
// unit tests (test/setup.ts).
// Every name is known from the start, so unknown-type errors and suggestions stay the same.
import type { z } from 'zod'
import type { AnyStepBehavior, AnyStepType } from './define.js'

interface Loader {
  behavior: () => Promise<AnyStepBehavior>
  schema: () => Promise<z.ZodType>
}

export function lazyRegistry(loaders: Record<string, Loader>) {
  const names = Object.keys(loaders)
  const loaded = new Map<string, AnyStepType>()
  const schemas = new Map<string, z.ZodType>()
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

  /** The behaviour, with a `schema` that is there once loadStepSchemas() has loaded it. */
  const withSchema = (name: string, behavior: AnyStepBehavior): AnyStepType =>
    Object.defineProperty({ ...behavior }, 'schema', {
      enumerable: true,
      get() {
        const schema = schemas.get(name)
        if (!schema) throw new Error(`the schema of step type \`${name}\` was used before it was loaded`)
        return schema
      },
    }) as AnyStepType

  const known = (wanted: Iterable<string>) =>
    [...new Set(wanted)].filter((name) => Object.hasOwn(loaders, name))

  /** Loads the behaviours of the named types; unknown names are ignored. */
  async function loadStepBehaviors(wanted: Iterable<string> = names): Promise<void> {
    const missing = known(wanted).filter((name) => !loaded.has(name))
    const behaviors = await Promise.all(missing.map((name) => loaders[name]!.behavior()))
    for (const [i, name] of missing.entries()) loaded.set(name, withSchema(name, behaviors[i]!))
  }

  /** Loads the named types' schemas (and behaviours): what parsing a recipe needs. */
  async function loadStepSchemas(wanted: Iterable<string> = names): Promise<void> {
    const list = known(wanted)
    const missing = list.filter((name) => !schemas.has(name))
    const [found] = await Promise.all([
      Promise.all(missing.map((name) => loaders[name]!.schema())),
      loadStepBehaviors(list),
    ])
    for (const [i, name] of missing.entries()) schemas.set(name, found[i]!)
  }

  /** Every part of the named types (every type when none are named). */
  const loadStepTypes = (wanted: Iterable<string> = names) => loadStepSchemas(wanted)

  /**
   * Every step type a recipe's text could name: each type whose name appears in it as a
   * word. A superset (a comment that says `database` names that type too), never less: a
   * type key is always spelled out, since keys are not interpolated. An escape sequence in a
   * quoted string could spell one otherwise (`"\x72un"`, or `"ru\` and `n"` joined across a
   * line break), so then every type is named.
   */
  function typesNamedIn(recipeText: string): string[] {
    if (/\\[uUx0-9\r\n]/.test(recipeText)) return names
    const words = new Set(recipeText.match(/[A-Za-z0-9_]+/g))
    return names.filter((name) => words.has(name))
  }

  return { stepTypes, loadStepTypes, loadStepBehaviors, loadStepSchemas, typesNamedIn }
}
