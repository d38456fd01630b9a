// Reads a recipe: YAML with positions → interpolation → schema → steps with ids.
// Every problem found is collected and thrown as one RecipeError.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml'
import { maskUrls } from '../engine/mask.js'
import { RecipeError, type RecipeProblem, UserError } from '../errors.js'
import type { AnyStepType } from '../steps/define.js'
import { stepTypes } from '../steps/index.js'
import { assignIds } from './ids.js'
import { interpolateTree } from './interpolate-tree.js'
import { commonKeys, commonKeysSchema, groupKeysSchema, recipeTopSchema } from './schema.js'
import { describeValue, keyNode, nodeAt, type RecipeSource, RecipeSource as Source } from './source.js'
import { didYouMean } from './suggest.js'
import type { ParallelGroup, Recipe, RecipeItem, StepNode, StepOptions } from './types.js'
import { knownKeysAt, zodProblems } from './zod-problems.js'

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
  if (root === null || text.trim() === '' || source.doc.toJS() == null) {
    fail([{ ...source.problemAt(0, 'the recipe is empty'), hint: emptyHint }])
  }
  if (!isMap(root))
    fail([source.problem(root, `the recipe must be a map, got ${describeValue(source.doc.toJS())}`)])

  const { problems, recipeEnv } = interpolateTree(source, root as YAMLMap, env)
  if (problems.length > 0) fail(problems)

  const top = recipeTopSchema.safeParse(source.doc.toJS(), { reportInput: true })
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

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}

type Draft<T> = Omit<T, 'id'> & { id: string; explicitId: boolean }

type Types = ReadonlyMap<string, AnyStepType>

function buildItem(
  source: RecipeSource,
  types: Types,
  node: Node | undefined,
  value: unknown,
  problems: RecipeProblem[],
  insideGroup: boolean,
): RecipeItem | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'parallel' in value) {
    if (insideGroup) {
      problems.push(source.problem(keyNode(node, 'parallel'), 'parallel groups cannot be nested'))
      return undefined
    }
    return buildGroup(source, types, node, value as Record<string, unknown>, problems)
  }
  return buildStep(source, types, node, value, problems)
}

function buildGroup(
  source: RecipeSource,
  types: Types,
  node: Node | undefined,
  value: Record<string, unknown>,
  problems: RecipeProblem[],
): ParallelGroup | undefined {
  const parsed = groupKeysSchema.safeParse(value, { reportInput: true })
  if (!parsed.success) {
    problems.push(...zodProblems(source, node, groupKeysSchema, parsed.error.issues, 'parallel'))
    return undefined
  }
  const listNode = nodeAt(node, ['parallel'])
  const steps = parsed.data.parallel.flatMap((child, index) => {
    const childNode = isSeq(listNode) ? (listNode.items[index] as Node) : undefined
    const step = buildItem(source, types, childNode, child, problems, true)
    return step?.kind === 'step' ? [step] : []
  })
  const group: Draft<ParallelGroup> = {
    kind: 'parallel',
    id: parsed.data.id ?? '',
    explicitId: parsed.data.id !== undefined,
    title: parsed.data.name ?? `In parallel: ${steps.map((s) => s.title).join(', ')}`,
    steps,
    position: source.position(node?.range?.[0] ?? 0),
  }
  if (parsed.data.name !== undefined) group.name = parsed.data.name
  return group
}

function buildStep(
  source: RecipeSource,
  stepTypes: Types,
  node: Node | undefined,
  value: unknown,
  problems: RecipeProblem[],
): StepNode | undefined {
  const typeNames = [...stepTypes.keys()]
  const knownTypes = `known step types: ${typeNames.join(', ')}`
  if (typeof value === 'string') {
    const stepType = stepTypes.get(value)
    if (!stepType) {
      problems.push(
        source.problem(
          node,
          `unknown step type \`${value}\``,
          `${didYouMean(value, typeNames)} (${knownTypes})`,
        ),
      )
      return undefined
    }
    return finishStep(source, node, stepType, undefined, {}, problems, true)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(
      source.problem(node, `a step must be a step type name or a map, got ${describeValue(value)}`),
    )
    return undefined
  }
  const map = value as Record<string, unknown>
  const keys = Object.keys(map)
  const typeKeys = keys.filter((k) => stepTypes.has(k))
  const otherKeys = keys.filter((k) => !stepTypes.has(k) && !commonKeys.includes(k))
  if (typeKeys.length === 0) {
    if (otherKeys.length === 0) {
      problems.push(source.problem(node, 'this step has no type', `add one of: ${typeNames.join(', ')}`))
    }
    for (const key of otherKeys) {
      const hint = `${didYouMean(key, [...typeNames, ...commonKeys, 'parallel'])} (${knownTypes})`
      problems.push(source.problem(keyNode(node, key), `unknown step type \`${key}\``, hint))
    }
    return undefined
  }
  if (typeKeys.length > 1) {
    const message = `one step has two types: ${typeKeys.map((k) => `\`${k}\``).join(' and ')}`
    problems.push(source.problem(keyNode(node, typeKeys[1]!), message, 'split it into one step per type'))
    return undefined
  }
  const type = typeKeys[0]!
  const stepType = stepTypes.get(type)!
  // `- cleanup:` with nothing after it means the same as the bare `- cleanup`.
  let config: unknown = map[type] ?? undefined
  if (stepType.form === 'flat') {
    config = Object.fromEntries(
      keys.filter((k) => k === type || otherKeys.includes(k)).map((k) => [k, map[k]]),
    )
  } else {
    for (const key of otherKeys) {
      const typeOptions = knownKeysAt(stepType.schema, [])
      const hint = typeOptions.includes(key)
        ? `\`${key}\` is an option of \`${type}\`: indent it under \`${type}:\``
        : didYouMean(key, [...commonKeys, type])
      problems.push(source.problem(keyNode(node, key), `unknown key \`${key}\` in a \`${type}\` step`, hint))
    }
  }
  if (problems.length > 0 && stepType.form === 'nested' && otherKeys.length > 0) return undefined
  const common = Object.fromEntries(keys.filter((k) => commonKeys.includes(k)).map((k) => [k, map[k]]))
  return finishStep(source, node, stepType, config, common, problems, false)
}

function finishStep(
  source: RecipeSource,
  node: Node | undefined,
  stepType: AnyStepType,
  rawConfig: unknown,
  rawCommon: Record<string, unknown>,
  problems: RecipeProblem[],
  bare: boolean,
): StepNode | undefined {
  const before = problems.length
  const common = commonKeysSchema.safeParse(rawCommon, { reportInput: true })
  if (!common.success)
    problems.push(...zodProblems(source, node, commonKeysSchema, common.error.issues, 'step'))
  const config = stepType.schema.safeParse(rawConfig, { reportInput: true })
  if (!config.success) {
    if (bare) {
      const hint = `write it as a map, e.g. \`- ${stepType.type}: ...\` (${stepType.description})`
      problems.push(source.problem(node, `\`${stepType.type}\` needs settings`, hint))
    } else {
      const base = stepType.form === 'flat' ? node : nodeAt(node, [stepType.type])
      problems.push(...zodProblems(source, base, stepType.schema, config.error.issues, stepType.type))
    }
  }
  if (problems.length > before || !common.success || !config.success) return undefined
  const c = common.data
  const options: StepOptions = { retries: c.retries ?? 0, optional: c.optional ?? false, env: c.env ?? {} }
  if (c.if) options.if = c.if
  if (c.timeout !== undefined) options.timeoutMs = c.timeout
  if (c.cwd !== undefined) options.cwd = c.cwd
  const step: Draft<StepNode> = {
    kind: 'step',
    id: c.id ?? '',
    explicitId: c.id !== undefined,
    type: stepType.type,
    stepType,
    title: maskUrls(c.name ?? stepType.title(config.data)),
    config: config.data,
    options,
    position: source.position(node?.range?.[0] ?? 0),
  }
  if (c.name !== undefined) step.name = c.name
  return step
}
