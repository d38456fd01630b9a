// Naming the recipe's own steps in a fix: "the `service: postgres` step [db-server]", and
// whether it runs before the step that failed (a step placed after it cannot have helped).
import type { StepNode } from '../../recipe/types.js'
import type { FailureFacts } from './types.js'

const field = (config: unknown, key: string): unknown =>
  config && typeof config === 'object' ? (config as Record<string, unknown>)[key] : undefined

/** The engine a `service` or `database` step is about (postgres, mysql, redis, sqlite). */
export function engineOf(step: StepNode): string | undefined {
  if (step.type === 'service') return field(step.config, 'engine') as string | undefined
  if (step.type === 'database') return field(field(step.config, 'target'), 'engine') as string | undefined
  return undefined
}

export function findStep(
  facts: FailureFacts,
  type: string,
  wanted: (step: StepNode) => boolean = () => true,
): StepNode | undefined {
  return facts.steps.find((step) => step.type === type && wanted(step))
}

/** "the `service` step [db]" — with where it stands, when it comes after the failed step. */
export function named(step: StepNode, facts: FailureFacts): string {
  const label = `the \`${step.type}\` step "${step.title}" [${step.id}]`
  if (step === facts.step) return `this step (${label.slice(4)})`
  return comesAfter(step, facts) ? `${label}, which runs after this one (move it before)` : label
}

export function comesAfter(step: StepNode, facts: FailureFacts): boolean {
  return facts.steps.indexOf(step) > facts.steps.indexOf(facts.step)
}

export function configField(step: StepNode, ...keys: string[]): unknown {
  return keys.reduce<unknown>((value, key) => field(value, key), step.config)
}

/** A `packages` line for the recipe, or where to add the names in the one it has. */
export function packagesFix(facts: FailureFacts, apt: string[], brew: string[]): string {
  const existing = findStep(facts, 'packages')
  const line = `\`- packages: { apt: [${apt.join(', ')}], brew: [${brew.join(', ')}] }\``
  if (existing)
    return `add ${apt.join(', ')} to ${named(existing, facts)} (apt; brew: ${brew.join(', ')}), or ${line}`
  const deps = findStep(facts, 'dependencies')
  const where = deps && deps !== facts.step ? ` before ${named(deps, facts)}` : ' before this step'
  return `add ${line}${where}`
}
