// Applies ${VAR} interpolation to every string value of the recipe's YAML tree, in place,
// so that an undefined variable is reported at the exact scalar that uses it.
import { isMap, isScalar, isSeq, type Node, visit, type YAMLMap } from 'yaml'
import type { RecipeProblem } from '../errors.js'
import { interpolate, UndefinedVariableError } from './interpolate.js'
import type { RecipeSource } from './source.js'

type Scope = Record<string, string | undefined>

export function interpolateTree(
  source: RecipeSource,
  root: YAMLMap,
  processEnv: NodeJS.ProcessEnv,
): { problems: RecipeProblem[]; recipeEnv: Record<string, string> } {
  const problems: RecipeProblem[] = []
  const recipeEnv = interpolateEnvMap(source, root.get('env', true) as Node, { ...processEnv }, problems)
  const scope: Scope = { ...processEnv, ...recipeEnv }
  const steps = root.get('steps', true)
  if (isSeq(steps)) {
    for (const step of steps.items) interpolateStep(source, step as Node, scope, problems)
  }
  return { problems, recipeEnv }
}

function interpolateStep(source: RecipeSource, step: Node, scope: Scope, problems: RecipeProblem[]): void {
  if (!isMap(step)) {
    interpolateNode(source, step, scope, problems)
    return
  }
  const group = step.get('parallel', true)
  if (isSeq(group)) {
    for (const child of group.items) interpolateStep(source, child as Node, scope, problems)
    return
  }
  const stepEnv = interpolateEnvMap(source, step.get('env', true) as Node, scope, problems)
  const stepScope = { ...scope, ...stepEnv }
  for (const pair of step.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    if (key !== 'env') interpolateNode(source, pair.value as Node, stepScope, problems)
  }
}

/** Interpolates an env map in order: each value may use the variables defined before it. */
function interpolateEnvMap(source: RecipeSource, node: Node, scope: Scope, problems: RecipeProblem[]) {
  const env: Record<string, string> = {}
  if (!isMap(node)) return env
  for (const pair of node.items) {
    if (!isScalar(pair.key) || !isScalar(pair.value)) continue
    const local = { ...scope, ...env }
    interpolateNode(source, pair.value, local, problems)
    env[String(pair.key.value)] = String(pair.value.value)
  }
  return env
}

function interpolateNode(
  source: RecipeSource,
  node: Node | null,
  scope: Scope,
  problems: RecipeProblem[],
): void {
  if (!node) return
  visit(node, {
    Scalar(key, scalar) {
      if (key === 'key' || typeof scalar.value !== 'string') return
      try {
        scalar.value = interpolate(scalar.value, scope)
      } catch (error) {
        const hint =
          error instanceof UndefinedVariableError
            ? `define it under \`env:\` in the recipe or in your shell, give a default (\${${error.variable}:-value}), or write $\${${error.variable}} if it is the shell's own variable`
            : undefined
        problems.push(source.problem(scalar, (error as Error).message, hint))
      }
    },
  })
}
