// Reads a recipe file and returns its checked steps: from the recipe cache when the file and
// everything its parse depends on are unchanged (cache.ts), else by parsing it (parse.ts,
// loaded only then, with the YAML parser, zod and the schemas of the step types it names).
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { noteSecretEnv, noteSecretsIn } from '../engine/mask.js'
import { InterruptedError, RecipeError, UserError } from '../errors.js'
import { loadStepBehaviors, loadStepSchemas, stepTypes, typesNamedIn } from '../steps/index.js'
import {
  type CacheSlot,
  cacheSlot,
  type EnvFilesUsed,
  readCachedRecipe,
  type UsedVariables,
  usedVariables,
  writeCachedRecipe,
} from './cache.js'
import { linkEnvFiles } from './env-file-links.js'
import { linkRecipeServers } from './recipe-servers.js'
import { linkServerSteps } from './server-steps.js'
import { allSteps, type Recipe } from './types.js'

export { findRecipe } from './find.js'

export interface LoadOptions {
  /**
   * The user's state folder of the repository (repoStateDir, never an in-repository
   * `.devsetup/`): where an unchanged recipe's parse is kept (cache.ts).
   */
  stateDir?: string
}

/** A loaded recipe, and how to keep its parse for the next run when it was not from the cache. */
export interface Loaded {
  recipe: Recipe
  /** Keeps this parse in the state folder (call once the folder exists); true when kept. */
  keep: () => boolean
}

/** Reads and checks a recipe. `signal`: Ctrl-C while a huge recipe loads stops the load. */
export async function loadRecipe(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
): Promise<Recipe> {
  return (await loadRecipeCached(file, env, signal)).recipe
}

/** loadRecipe, through the recipe cache of `options.stateDir`. */
export async function loadRecipeCached(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
  options: LoadOptions = {},
): Promise<Loaded> {
  // The environment's secrets are masked in all output from here on (src/engine/mask.ts).
  noteSecretEnv(env)
  const text = await readRecipeText(file)
  const display = displayName(file)
  const types = typesNamedIn(text)
  await loadStepBehaviors(types)
  const slot = options.stateDir ? cacheSlot(options.stateDir, file, display, text) : undefined
  const cached = slot && readCachedRecipe(slot, env, stepTypes)
  if (cached) {
    // A parse would have noted the recipe's own `env:` and steps' secrets (interpolate-tree.ts): note them here.
    noteSecretEnv(cached.env)
    for (const step of allSteps(cached)) {
      noteSecretEnv(step.options.env)
      noteSecretsIn(step.config)
    }
    linkServerSteps(cached.items)
    linkEnvFiles(cached.items)
    linkRecipeServers(cached.items)
    return { recipe: cached, keep: () => true }
  }
  try {
    await loadStepSchemas(types)
    const { parseRecipeText } = await import('./parse.js')
    const { EnvFileReads } = await import('./env-file-scope.js')
    const used = new Set<string>()
    const reads = new EnvFileReads()
    const recipe = await parseRecipeText(file, text, env, signal, used, reads)
    return { recipe, keep: () => keep(slot, recipe, usedVariables(used, env), reads) }
  } catch (error) {
    if (signal?.aborted) throw new InterruptedError()
    throw error
  }
}

function keep(
  slot: CacheSlot | undefined,
  recipe: Recipe,
  variables: UsedVariables,
  files: EnvFilesUsed,
): boolean {
  return (
    slot !== undefined && !recipe.uncached && writeCachedRecipe(slot, recipe, variables, stepTypes, files)
  )
}

/** The recipe's path as problems show it: relative to the current folder when inside it. */
export function displayName(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative && !relative.startsWith('..') ? relative : file
}

async function readRecipeText(file: string): Promise<string> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    throw new UserError(`cannot read recipe ${file}: ${(error as Error).message}`)
  }
  const utf16 = utf16Kind(bytes)
  if (utf16) {
    throw new RecipeError(displayName(file), [
      {
        message: `the recipe is encoded as ${utf16}; devsetup reads UTF-8`,
        line: 1,
        col: 1,
        hint: `save it as UTF-8 (in most editors: "Save with encoding"), or: iconv -f UTF-16 -t UTF-8 ${path.basename(file)} > recipe.tmp && mv recipe.tmp ${path.basename(file)}`,
      },
    ])
  }
  return bytes.toString('utf8')
}

/**
 * UTF-16 by its byte order mark, or without one by the NUL in every other byte that ASCII
 * text has in UTF-16 (Windows editors and PowerShell's `>` write it).
 */
function utf16Kind(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16 (little-endian, byte order mark FF FE)'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16 (big-endian, byte order mark FE FF)'
  const head = bytes.subarray(0, 64)
  if (head.length < 8) return undefined
  const nulAt = (parity: number) => head.every((b, i) => (i % 2 === parity) === (b === 0))
  if (nulAt(1)) return 'UTF-16 (little-endian, without a byte order mark)'
  if (nulAt(0)) return 'UTF-16 (big-endian, without a byte order mark)'
  return undefined
}
