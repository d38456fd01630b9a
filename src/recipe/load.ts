// Reads a recipe: YAML with positions → interpolation → schema → steps with ids.
// Every problem found is collected and thrown as one RecipeError.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isSeq, type Node, visit, type YAMLMap } from 'yaml'
import { RecipeError, type RecipeProblem, UserError } from '../errors.js'
import type { AnyStepType } from '../steps/define.js'
import { stepTypes } from '../steps/index.js'
import { buildItem } from './build-item.js'
import { checkChangeRefs } from './change-refs.js'
import { assignIds } from './ids.js'
import { interpolateTree } from './interpolate-tree.js'
import { recipeTopSchema } from './schema.js'
import { describeValue, type RecipeSource, RecipeSource as Source } from './source.js'
import type { Recipe, RecipeItem } from './types.js'
import { zodProblems } from './zod-problems.js'

export { findRecipe } from './find.js'

export async function loadRecipe(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Recipe> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new UserError(`cannot read recipe ${file}: ${(error as Error).message}`)
  }
  return parseRecipe(file, text, env)
}

const emptyHint = 'start with:\n    version: 1\n    steps:\n      - name: Install\n        run: npm ci'

export function parseRecipe(
  file: string,
  text: string,
  env: NodeJS.ProcessEnv = process.env,
  types: ReadonlyMap<string, AnyStepType> = stepTypes,
): Recipe {
  const relative = path.relative(process.cwd(), file)
  const display = relative && !relative.startsWith('..') ? relative : file
  const source = new Source(display, text)
  const fail = (problems: RecipeProblem[]): never => {
    throw new RecipeError(display, problems)
  }

  if (source.doc.errors.length > 0) {
    fail(
      source.doc.errors.map((e) =>
        source.problemAt(e.pos[0], `malformed YAML: ${firstLine(e.message)}`, yamlHints[e.code]),
      ),
    )
  }
  const root = source.doc.contents
  const value = plainValue(source, fail)
  if (root === null || text.trim() === '' || value == null) {
    fail([{ ...source.problemAt(0, 'the recipe is empty'), hint: emptyHint }])
  }
  if (!isMap(root)) fail([source.problem(root, `the recipe must be a map, got ${describeValue(value)}`)])

  const { problems, recipeEnv } = interpolateTree(source, root as YAMLMap, env)
  if (problems.length > 0) fail(problems)

  const top = recipeTopSchema.safeParse(plainValue(source, fail), { reportInput: true })
  if (!top.success) fail(zodProblems(source, root, recipeTopSchema, top.error.issues, 'recipe'))
  const stepsNode = (root as YAMLMap).get('steps', true) as Node

  const items: RecipeItem[] = []
  const stepProblems: RecipeProblem[] = []
  const stepValues = top.data!.steps
  stepValues.forEach((value, index) => {
    const node = isSeq(stepsNode) ? (stepsNode.items[index] as Node) : undefined
    const item = buildItem(source, types, node, value, stepProblems, false)
    if (item) items.push(item)
  })
  stepProblems.push(...assignIds(source, items))
  if (stepProblems.length === 0) stepProblems.push(...checkChangeRefs(source, items))
  if (stepProblems.length > 0) fail(stepProblems)

  const warnings: string[] = []
  for (const step of items.flatMap((i) => (i.kind === 'parallel' ? i.steps : [i]))) {
    for (const message of step.stepType.lint?.(step.config) ?? []) {
      warnings.push(`${display}:${step.position.line}:${step.position.col}: step \`${step.id}\`: ${message}`)
    }
  }
  return { file, root: path.dirname(file), version: 1, env: recipeEnv, items, warnings }
}

const yamlHints: Record<string, string> = {
  BLOCK_AS_IMPLICIT_KEY: 'a value that contains `: ` must be quoted: check: "node -e \'...\'"',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'check the indentation, and that every [ or { is closed',
  DUPLICATE_KEY: 'a key appears twice in the same map: remove one',
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

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}
