// Builds one recipe item (a step or a parallel group) from its YAML node and value:
// which type it is, its common keys, its config, each validated with positions.
import { isSeq, type Node } from 'yaml'
import { maskSecrets } from '../engine/mask.js'
import { escapeControls } from '../engine/render/controls.js'
import type { RecipeProblem } from '../errors.js'
import type { AnyStepType } from '../steps/define.js'
import { allFromEnvFiles, brokenByEnv } from './broken-by-env.js'
import { renameOldSpellings } from './old-spellings.js'
import { commonKeys, commonKeysSchema, groupKeysSchema } from './schema.js'
import { describeValue, keyNode, nodeAt, type RecipeSource } from './source.js'
import { didYouMean } from './suggest.js'
import type { ParallelGroup, RecipeItem, StepNode, StepOptions } from './types.js'
import { knownKeysAt, zodProblems } from './zod-problems.js'

type Draft<T> = Omit<T, 'id'> & { id: string; explicitId: boolean }

type Types = ReadonlyMap<string, AnyStepType>

export function buildItem(
  source: RecipeSource,
  types: Types,
  node: Node | undefined,
  value: unknown,
  problems: RecipeProblem[],
  insideGroup: boolean,
  warnings: string[] = [],
): RecipeItem | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'parallel' in value) {
    if (insideGroup) {
      problems.push(source.problem(keyNode(node, 'parallel'), 'parallel groups cannot be nested'))
      return undefined
    }
    return buildGroup(source, types, node, value as Record<string, unknown>, problems, warnings)
  }
  return buildStep(source, types, node, value, problems, warnings)
}

function buildGroup(
  source: RecipeSource,
  types: Types,
  node: Node | undefined,
  value: Record<string, unknown>,
  problems: RecipeProblem[],
  warnings: string[],
): ParallelGroup | undefined {
  const parsed = groupKeysSchema.safeParse(value, { reportInput: true })
  if (!parsed.success) {
    problems.push(...zodProblems(source, node, groupKeysSchema, parsed.error.issues, 'parallel'))
    return undefined
  }
  const listNode = nodeAt(node, ['parallel'])
  const steps = parsed.data.parallel.flatMap((child, index) => {
    const childNode = isSeq(listNode) ? (listNode.items[index] as Node) : undefined
    const step = buildItem(source, types, childNode, child, problems, true, warnings)
    return step?.kind === 'step' ? [step] : []
  })
  const group: Draft<ParallelGroup> = {
    kind: 'parallel',
    id: parsed.data.id ?? '',
    explicitId: parsed.data.id !== undefined,
    title: parsed.data.name
      ? shownTitle(parsed.data.name)
      : `In parallel: ${steps.map((s) => s.title).join(', ')}`,
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
  warnings: string[],
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
  const given = value as Record<string, unknown>
  const givenTypes = Object.keys(given).filter((k) => stepTypes.has(k))
  const flat = givenTypes.length === 1 && stepTypes.get(givenTypes[0]!)!.form === 'flat'
  const map = renameOldSpellings(
    source,
    node,
    given,
    [...commonKeys, ...(flat ? knownKeysAt(stepTypes.get(givenTypes[0]!)!.schema, []) : [])],
    warnings,
  )
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
  if (stepType.form === 'nested' && config !== null && typeof config === 'object' && !Array.isArray(config)) {
    const known = knownKeysAt(stepType.schema, [])
    config = renameOldSpellings(
      source,
      nodeAt(node, [type]),
      config as Record<string, unknown>,
      known,
      warnings,
    )
  }
  if (stepType.form === 'flat') {
    // A key the type does not know is more often a misspelled common key (`retires`): suggest from both.
    const typeOptions = knownKeysAt(stepType.schema, [])
    for (const key of otherKeys.filter((k) => !typeOptions.includes(k))) {
      const hint = didYouMean(key, [...typeOptions, ...commonKeys])
      problems.push(source.problem(keyNode(node, key), `unknown key \`${key}\` in a \`${type}\` step`, hint))
    }
    config = Object.fromEntries(
      keys
        .filter((k) => k === type || (otherKeys.includes(k) && typeOptions.includes(k)))
        .map((k) => [k, map[k]]),
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
      const found = zodProblems(source, base, stepType.schema, config.error.issues, stepType.type)
      if (allFromEnvFiles(found) && common.success && problems.length === before)
        return brokenStep(source, node, stepType, rawConfig, common.data, found)
      problems.push(...found.map((problem) => commonKeyPlacement(problem, stepType.type)))
    }
  }
  if (problems.length > before || !common.success || !config.success) return undefined
  return stepNode(source, node, stepType, config.data, common.data)
}

type Common = ReturnType<typeof commonKeysSchema.parse>

/** A step an env file's value breaks (broken-by-env.ts): red when checked; the parse is not cached. */
function brokenStep(
  source: RecipeSource,
  node: Node | undefined,
  stepType: AnyStepType,
  rawConfig: unknown,
  common: Common,
  found: RecipeProblem[],
): StepNode {
  source.uncacheable = true
  return stepNode(source, node, brokenByEnv(stepType, found, source.file), rawConfig, common)
}

function stepNode(
  source: RecipeSource,
  node: Node | undefined,
  stepType: AnyStepType,
  config: unknown,
  c: Common,
): StepNode {
  const options: StepOptions = { retries: c.retries ?? 0, optional: c.optional ?? false, env: c.env ?? {} }
  if (c.if) options.if = c.if
  if (c.timeout !== undefined) options.timeoutMs = c.timeout
  if (c.cwd !== undefined) options.cwd = c.cwd
  if (c.restarts !== undefined) options.restarts = c.restarts
  if (c.when_changed !== undefined) options.whenChanged = c.when_changed
  const step: Draft<StepNode> = {
    kind: 'step',
    id: c.id ?? '',
    explicitId: c.id !== undefined,
    type: stepType.type,
    stepType,
    title: shownTitle(c.name ?? titleOf(stepType, config)),
    config,
    options,
    position: source.position(node?.range?.[0] ?? 0),
  }
  if (c.name !== undefined) step.name = c.name
  return step
}

/** The type's title for `config`; its name when the config is one the title cannot read (an env file broke it). */
function titleOf(stepType: AnyStepType, config: unknown): string {
  try {
    return stepType.title(config)
  } catch {
    return stepType.type
  }
}

/**
 * A title is shown and kept (state.json, reports): secrets masked, control characters escaped,
 * so neither a token interpolated into `name:` nor an escape sequence reaches any output.
 */
function shownTitle(text: string): string {
  return escapeControls(maskSecrets(text))
}

/**
 * `env:` (or `timeout:`, `if:` …) indented under the type's settings is a common key of the
 * step in the wrong place: say where it goes, instead of listing the type's own keys.
 */
function commonKeyPlacement(problem: RecipeProblem, type: string): RecipeProblem {
  const key = /^unknown key `([^`]+)` in `[^`]+`$/.exec(problem.message)?.[1]
  if (!key || !commonKeys.includes(key)) return problem
  return {
    ...problem,
    hint: `\`${key}\` is a key of the step, not of \`${type}\`: write it beside \`${type}:\`, not under it:\n    - ${type}:\n        ...\n      ${key}: ...`,
  }
}
