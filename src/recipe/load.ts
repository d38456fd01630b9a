// Reads a recipe: YAML with positions → interpolation → schema → steps with ids.
// Every problem found is collected and thrown as one RecipeError.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isSeq, type Node, visit, type YAMLMap } from 'yaml'
import { InterruptedError, RecipeError, type RecipeProblem, UserError } from '../errors.js'
import type { AnyStepType } from '../steps/define.js'
import { stepTypes } from '../steps/index.js'
import { buildItem } from './build-item.js'
import { checkChangeRefs } from './change-refs.js'
import { assignIds } from './ids.js'
import { interpolateTree } from './interpolate-tree.js'
import { recipeTopSchema } from './schema.js'
import { firstLine, treeProblems, yamlProblems } from './screen.js'
import { runSliced, runStraight } from './slices.js'
import { describeValue, type RecipeSource, RecipeSource as Source } from './source.js'
import type { Recipe, RecipeItem } from './types.js'
import { zodProblems } from './zod-problems.js'

export { findRecipe } from './find.js'

/** Reads and checks a recipe. `signal`: Ctrl-C while a huge recipe loads stops the load. */
export async function loadRecipe(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
): Promise<Recipe> {
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
  try {
    const source = await Source.parse(displayName(file), bytes.toString('utf8'), signal)
    return await runSliced(recipeFrom(file, source, env, stepTypes), signal)
  } catch (error) {
    if (signal?.aborted) throw new InterruptedError()
    throw error
  }
}

function displayName(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative && !relative.startsWith('..') ? relative : file
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

const emptyHint = 'start with:\n    version: 1\n    steps:\n      - name: Install\n        run: npm ci'

export function parseRecipe(
  file: string,
  text: string,
  env: NodeJS.ProcessEnv = process.env,
  types: ReadonlyMap<string, AnyStepType> = stepTypes,
): Recipe {
  return runStraight(recipeFrom(file, new Source(displayName(file), text), env, types))
}

/** Steps per slice: a slice of a huge recipe stays well under a tenth of a second. */
const stepsPerSlice = 500

/** Checks and builds the recipe; yields between slices of work (see slices.ts). */
function* recipeFrom(
  file: string,
  source: RecipeSource,
  env: NodeJS.ProcessEnv,
  types: ReadonlyMap<string, AnyStepType>,
): Generator<void, Recipe> {
  const display = source.file
  const text = source.text
  const fail = (problems: RecipeProblem[]): never => {
    throw new RecipeError(display, problems)
  }

  const parseProblems = yamlProblems(source)
  if (parseProblems.length > 0) fail(parseProblems)
  const valueProblems = treeProblems(source)
  if (valueProblems.length > 0) fail(valueProblems)
  yield
  const root = source.doc.contents
  const value = plainValue(source, fail)
  yield
  if (root === null || text.trim() === '' || value == null) {
    fail([{ ...source.problemAt(0, 'the recipe is empty'), hint: emptyHint }])
  }
  if (!isMap(root)) fail([source.problem(root, `the recipe must be a map, got ${describeValue(value)}`)])

  // An undefined variable is reported together with every other problem of the recipe, not alone.
  const { problems: varProblems, recipeEnv } = interpolateTree(source, root as YAMLMap, env)
  const failAll = (problems: RecipeProblem[]): never =>
    fail([...varProblems, ...problems].sort((a, b) => a.line - b.line || a.col - b.col))
  yield

  const top = recipeTopSchema.safeParse(plainValue(source, fail), { reportInput: true })
  if (!top.success) failAll(zodProblems(source, root, recipeTopSchema, top.error.issues, 'recipe'))
  const stepsNode = (root as YAMLMap).get('steps', true) as Node

  const items: RecipeItem[] = []
  const stepProblems: RecipeProblem[] = []
  const stepValues = top.data!.steps
  yield
  for (const [index, value] of stepValues.entries()) {
    const node = isSeq(stepsNode) ? (stepsNode.items[index] as Node) : undefined
    const item = buildItem(source, types, node, value, stepProblems, false)
    if (item) items.push(item)
    if (index % stepsPerSlice === stepsPerSlice - 1) yield
  }
  stepProblems.push(...assignIds(source, items))
  if (stepProblems.length === 0) stepProblems.push(...checkChangeRefs(source, items))
  if (stepProblems.length > 0 || varProblems.length > 0) failAll(stepProblems)

  const warnings: string[] = []
  for (const step of items.flatMap((i) => (i.kind === 'parallel' ? i.steps : [i]))) {
    for (const message of step.stepType.lint?.(step.config) ?? []) {
      warnings.push(`${display}:${step.position.line}:${step.position.col}: step \`${step.id}\`: ${message}`)
    }
  }
  return { file, root: path.dirname(file), version: 1, env: recipeEnv, items, warnings, written: value }
}

/** The document as plain values; a broken or exploding alias is a recipe error at that alias. */
function plainValue(source: RecipeSource, fail: (problems: RecipeProblem[]) => never): unknown {
  try {
    return source.doc.toJS({ maxAliasCount: 1000 })
  } catch (error) {
    let alias: Node | undefined
    visit(source.doc, {
      Alias(_, node) {
        alias ??= node
      },
    })
    const hint =
      'every `*name` needs an `&name` anchor defined above it; aliases may not expand into huge documents'
    return fail([source.problem(alias, `YAML alias: ${firstLine((error as Error).message)}`, hint)])
  }
}
