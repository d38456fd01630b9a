// A step's check sees only its own config, yet the fix for a database server that refuses
// connections depends on the rest of the recipe: when a `service` step of the same engine is
// there, that step is what starts the server, not a `start:` the user would have to write.
// The recipe loader links each database step's config to that service step (after a parse and
// after a cache hit alike: the link is not part of the cached JSON), and the database step asks.
import type { RecipeItem, StepNode } from './types.js'

export interface ServerStep {
  id: string
  title: string
  /** The `service` step comes after the database step: it cannot have started the server yet. */
  after: boolean
}

const links = new WeakMap<object, ServerStep>()

const field = (value: unknown, key: string): unknown =>
  value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined

/** Links every PostgreSQL/MySQL `database` step to the first `service` step of its engine. */
export function linkServerSteps(items: readonly RecipeItem[]): void {
  const steps = items.flatMap((item) => (item.kind === 'parallel' ? item.steps : [item]))
  for (const [index, step] of steps.entries()) {
    if (step.type !== 'database' || !step.config || typeof step.config !== 'object') continue
    const engine = field(field(step.config, 'target'), 'engine')
    const service = steps.find((s: StepNode) => s.type === 'service' && field(s.config, 'engine') === engine)
    if (!service) continue
    links.set(step.config, { id: service.id, title: service.title, after: steps.indexOf(service) > index })
  }
}

/** The `service` step that runs this database step's server, when the recipe has one. */
export function serverStepOf(config: object): ServerStep | undefined {
  return links.get(config)
}
