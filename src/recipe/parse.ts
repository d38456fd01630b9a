// Parses a recipe: YAML with positions → interpolation → schema → steps with ids. Every
// problem found is collected and thrown as one RecipeError. Reading the file, and skipping
// all of this for an unchanged recipe, is load.ts's part; the schemas of the step types the
// recipe names must be loaded first (loadStepSchemas in src/steps/index.ts).
import path from 'node:path'
import { isMap, isSeq, type Node, visit, type YAMLMap } from 'yaml'
import { RecipeError, type RecipeProblem } from '../errors.js'
import type { AnyStepType } from '../steps/define.js'
import { stepTypes } from '../steps/index.js'
import { buildItem } from './build-item.js'
import { checkChangeRefs } from './change-refs.js'
import { duplicateWarnings } from './duplicates.js'
import { linkEnvFiles } from './env-file-links.js'
import { EnvFileReads } from './env-file-scope.js'
import { assignIds } from './ids.js'
import { interpolateTree } from './interpolate-tree.js'
import { displayName } from './load.js'
import { orderWarnings } from './order.js'
import { linkRecipeServers } from './recipe-servers.js'
import { recipeTopSchema } from './schema.js'
import { firstLine, treeProblems, yamlProblems } from './screen.js'
import { linkServerSteps } from './server-steps.js'
import { runSliced, runStraight } from './slices.js'
import { describeValue, type RecipeSource, RecipeSource as Source } from './source.js'
import type { Recipe, RecipeItem } from './types.js'
import { zodProblems } from './zod-problems.js'

const emptyHint = 'start with:\n    version: 1\n    steps:\n      - name: Install\n        run: npm ci'

/** The same parse, pausing between slices so that Ctrl-C works while a huge recipe loads. */
export async function parseRecipeText(
  file: string,
  text: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
  used?: Set<string>,
  reads?: EnvFileReads,
): Promise<Recipe> {
  const source = await Source.parse(displayName(file), text, signal)
  return runSliced(recipeFrom(file, source, env, stepTypes, used, reads), signal)
}

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

/**
 * Checks and builds the recipe; yields between slices of work (see slices.ts). `used` collects
 * the names of the variables it looked up, `reads` the env files read for values (and which
 * values): the only ways the environment and the repository's files reach the result.
 */
function* recipeFrom(
  file: string,
  source: RecipeSource,
  env: NodeJS.ProcessEnv,
  types: ReadonlyMap<string, AnyStepType>,
  used?: Set<string>,
  reads = new EnvFileReads(),
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
  const envFiles = {
    root: path.dirname(path.resolve(file)),
    schema: () => types.get('dotenv')?.schema,
    reads,
  }
  const { problems: varProblems, recipeEnv } = interpolateTree(source, root as YAMLMap, env, used, envFiles)
  const failAll = (problems: RecipeProblem[]): never =>
    fail([...varProblems, ...problems].sort((a, b) => a.line - b.line || a.col - b.col))
  yield

  const top = recipeTopSchema.safeParse(plainValue(source, fail), { reportInput: true })
  if (!top.success) failAll(zodProblems(source, root, recipeTopSchema, top.error.issues, 'recipe'))
  const stepsNode = (root as YAMLMap).get('steps', true) as Node

  const items: RecipeItem[] = []
  const stepProblems: RecipeProblem[] = []
  const warnings: string[] = []
  const stepValues = top.data!.steps
  yield
  for (const [index, value] of stepValues.entries()) {
    const node = isSeq(stepsNode) ? (stepsNode.items[index] as Node) : undefined
    const item = buildItem(source, types, node, value, stepProblems, false, warnings)
    if (item) items.push(item)
    if (index % stepsPerSlice === stepsPerSlice - 1) yield
  }
  stepProblems.push(...assignIds(source, items))
  if (stepProblems.length === 0) stepProblems.push(...checkChangeRefs(source, items))
  if (stepProblems.length > 0 || varProblems.length > 0) failAll(stepProblems)

  const steps = items.flatMap((i) => (i.kind === 'parallel' ? i.steps : [i]))
  for (const step of steps) {
    for (const message of step.stepType.lint?.(step.config) ?? []) {
      warnings.push(`${display}:${step.position.line}:${step.position.col}: step \`${step.id}\`: ${message}`)
    }
  }
  warnings.push(...duplicateWarnings(display, steps), ...orderWarnings(display, items))
  linkServerSteps(items)
  linkEnvFiles(items)
  linkRecipeServers(items)
  const recipe: Recipe = {
    file,
    root: path.dirname(file),
    version: 1,
    env: recipeEnv,
    items,
    warnings,
    written: value,
  }
  if (source.uncacheable) recipe.uncached = true
  return recipe
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
