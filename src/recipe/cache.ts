// A re-run of an unchanged recipe skips parsing it: `up` keeps the checked recipe as JSON in
// the repository's state folder (the user's, never `.devsetup/` inside the repository: a
// repository must not be able to hand devsetup a parse of its own making), under a key made
// of devsetup's build, the Node version, the recipe's path, its bytes and the folder it is
// shown from; with it go the names of the variables the parse looked up and a hash of each
// value. The next `up` or `doctor` with the same key and values of the same hashes takes the
// steps from there and never loads the YAML parser, zod or the step schemas. Any doubt is a
// miss: an unreadable or foreign file, another recipe's path, an unknown step type, a recipe
// whose JSON form would not read back the same.
// Interpolated values may be secrets (a token in a command): the file never holds one. Each
// value a variable put into the recipe is stored as a reference to the variable (`\0$NAME\0`)
// and put back from the environment on reading, once the hashes say it is the same value.
// Values under 4 characters are kept as they are (replacing every `1` would bloat the file,
// and no credential is that short). The file is the user's alone (0600) all the same.
// A step after a dotenv step may take a value from that step's env files (env-file-scope.ts):
// the files read go with a hash of their text (a missing one as null), any change is a miss,
// and each value taken from one is stored as a reference to the file and key (`\0@3\0`), read
// from the file again on a hit (its hash says it is the same text).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { writeFileAtomic } from '../engine/write-atomic.js'
import type { AnyStepType } from '../steps/define.js'
import {
  type EnvFilesUsed,
  hashedFiles,
  noFiles,
  passwordOf,
  saltedHash,
  storedFileValues,
  valuesFromFiles,
} from './cache-env-files.js'
import type { FileValue } from './env-file-scope.js'
import type { Recipe, RecipeItem } from './types.js'

export type { EnvFilesUsed }

declare const DEVSETUP_BUILD: string
/** Changes with every change to devsetup's code or libraries (scripts/build.mjs); unbundled: no cache. */
const build = typeof DEVSETUP_BUILD === 'string' ? DEVSETUP_BUILD : undefined

export const recipeCacheName = 'recipe.json'

export interface CacheSlot {
  file: string
  key: string
  /** The recipe's absolute path: a stored recipe must be of this very file. */
  recipeFile: string
}

/** Where the recipe at `recipeFile`, read as `text` from `display`, is cached in `stateDir`. */
export function cacheSlot(
  stateDir: string,
  recipeFile: string,
  display: string,
  text: string,
  buildId = build,
): CacheSlot | undefined {
  if (buildId === undefined) return undefined
  const hash = createHash('sha256')
  for (const part of [buildId, process.version, recipeFile, display, text]) hash.update(part).update('\0')
  return { file: path.join(stateDir, recipeCacheName), key: hash.digest('hex'), recipeFile }
}

/** The variables a parse looked up (interpolate.ts), with their values then: null when unset. */
export type UsedVariables = [name: string, value: string | null][]

export function usedVariables(names: Iterable<string>, env: NodeJS.ProcessEnv): UsedVariables {
  return [...names].sort().map((name) => [name, env[name] ?? null])
}

/** What is stored of the variables: each name with a hash of its value (salted by the slot's key). */
function hashedVariables(slot: CacheSlot, variables: UsedVariables): [string, string | null][] {
  return variables.map(([name, value]) => [name, value === null ? null : saltedHash(slot.key, name, value)])
}

/** Shorter values stay as written: see the top of this file. */
const referencedLength = 4
const reference = /\u0000(?:\$([A-Za-z_][A-Za-z0-9_]*)|@(\d+))(#pw)?\u0000/g

/**
 * `text` with each value of `variables`, and each taken from an env file, replaced by its
 * reference, in one pass (longest first).
 */
function referToValues(variables: UsedVariables, fromFiles: readonly FileValue[]): (text: string) => string {
  const byValue = new Map<string, string>()
  for (const [name, value] of variables) {
    if (value !== null && value.length >= referencedLength && !byValue.has(value))
      byValue.set(value, `$${name}`)
  }
  for (const [index, { value }] of fromFiles.entries()) {
    if (value.length >= referencedLength && !byValue.has(value)) byValue.set(value, `@${index}`)
  }
  // A whole URL taken (`url: ${DATABASE_URL}`) is parsed by its step: the password it holds is a
  // value of its own there (the database step's target), referred to as the URL's `#pw`.
  const wholes = [
    ...variables.map(([n, v]) => [`$${n}`, v] as const),
    ...fromFiles.map((f, i) => [`@${i}`, f.value] as const),
  ]
  for (const [ref, value] of wholes) {
    const password = value === null ? undefined : passwordOf(value)
    if (password && password.length >= referencedLength && !byValue.has(password))
      byValue.set(password, `${ref}#pw`)
  }
  if (byValue.size === 0) return (text) => text
  const values = [...byValue.keys()].sort((a, b) => b.length - a.length)
  const pattern = new RegExp(values.map((v) => v.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|'), 'g')
  return (text) => text.replace(pattern, (value) => `\u0000${byValue.get(value)}\u0000`)
}

type Stored = Omit<Recipe, 'items'> & { items: unknown[] }

/** The cached recipe for `slot` while `env` gives the variables it used the same values; else undefined. */
export function readCachedRecipe(
  slot: CacheSlot,
  env: NodeJS.ProcessEnv,
  types: ReadonlyMap<string, AnyStepType>,
): Recipe | undefined {
  try {
    const stored = restoreUndefined(JSON.parse(readFileSync(slot.file, 'utf8'))) as {
      key?: unknown
      variables?: unknown
      files?: unknown
      fileValues?: unknown
      recipe?: Stored
    }
    if (stored.key !== slot.key || !Array.isArray(stored.variables) || !stored.recipe) return undefined
    // Names and hashes are strings (or null): their JSON says whether they are the same. (Not
    // isDeepStrictEqual: its first use loads Node's assert machinery, on every no-op run.)
    const names = (stored.variables as UsedVariables).map(([name]) => name)
    const now = usedVariables(names, env)
    if (JSON.stringify(hashedVariables(slot, now)) !== JSON.stringify(stored.variables)) return undefined
    const fromFiles = valuesFromFiles(slot.key, stored.files, stored.fileValues)
    if (!fromFiles) return undefined
    const recipe = putBack(stored.recipe, new Map(now), fromFiles) as Stored
    if (recipe.file !== slot.recipeFile || recipe.root !== path.dirname(slot.recipeFile)) return undefined
    if (!Array.isArray(recipe.items)) return undefined
    return revive(recipe, types)
  } catch {
    return undefined
  }
}

/**
 * A key whose value is `undefined` (configs have them: `{ manager: undefined, frozen: true }`)
 * is stored as this string, which no recipe value can be: recipes may not hold NUL (screen.ts).
 */
const undefinedValue = '\u0000undefined'

/** Puts the values back where the stored recipe refers to them; an unknown reference: a miss. */
function putBack(
  value: unknown,
  values: ReadonlyMap<string, string | null>,
  fromFiles: readonly string[],
): unknown {
  if (typeof value === 'string') {
    return value.includes('\u0000')
      ? value.replace(reference, (_, name: string | undefined, index: string | undefined, pw?: string) => {
          const whole = name === undefined ? fromFiles[Number(index)] : values.get(name)
          const known = pw && typeof whole === 'string' ? passwordOf(whole) : whole
          if (typeof known !== 'string') throw new Miss()
          return known
        })
      : value
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) record[key] = putBack(record[key], values, fromFiles)
  }
  return value
}

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
  variables: UsedVariables,
  types: ReadonlyMap<string, AnyStepType>,
  files: EnvFilesUsed = noFiles,
): boolean {
  if (files.unreadable) return false
  try {
    const refer = referToValues(variables, files.values)
    // Only the recipe's strings refer to variables: the key and the hashes stay as they are.
    const recipeJson = JSON.stringify(recipe, (key, value) =>
      isStepType(key, value)
        ? undefined
        : value === undefined
          ? undefinedValue
          : typeof value === 'string'
            ? refer(value)
            : value,
    )
    const head = JSON.stringify({
      key: slot.key,
      variables: hashedVariables(slot, variables),
      // The texts as the parse read them, not as they are now: a step may have written one since.
      files: hashedFiles(slot.key, files.texts),
      fileValues: storedFileValues(slot.key, files.values),
    })
    const json = `${head.slice(0, -1)},"recipe":${recipeJson}}`
    const parsed = restoreUndefined(JSON.parse(json)) as { recipe: Stored }
    const fromFiles = files.values.map(({ value }) => value)
    const back = revive(putBack(parsed.recipe, new Map(variables), fromFiles) as Stored, types)
    if (!back || !isDeepStrictEqual(back, recipe)) return false
    writeFileAtomic(slot.file, json, 0o600)
    return true
  } catch {
    return false
  }
}

/** An item's step type (put back by revive), not a recipe value that happens to be called so. */
const isStepType = (key: string, value: unknown) =>
  key === 'stepType' && typeof (value as { check?: unknown } | null)?.check === 'function'

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
