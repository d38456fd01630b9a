// The servers the recipe itself starts, for a `restart` step's server that logs a refused
// connection (src/steps/restart/refused.ts): a refusal at the port of a `service` step, or of
// another restart's server (an API the web app fetches), is a server of this recipe still coming
// up, not a wrong address. A step sees only its own config, so the recipe loader links each
// restart config to the configs of the others (after a parse and after a cache hit alike, as
// env-file-links.ts does); their ports are read when asked, from the run's env, since a
// service's URL may come from a `dotenv` step's file or a port devsetup picked.
import type { RecipeItem } from './types.js'

export interface RecipeServer {
  type: 'service' | 'restart' | 'database'
  /** The step's config as the step type's schema output it. */
  config: unknown
}

const links = new WeakMap<object, RecipeServer[]>()

/**
 * Links every restart step's config to the recipe's service steps, its other restart steps, and
 * its database steps (whose SQLite files are theirs to note: sqlite-tables.ts leaves them alone).
 */
export function linkRecipeServers(items: readonly RecipeItem[]): void {
  const steps = items.flatMap((item) => (item.kind === 'parallel' ? item.steps : [item]))
  for (const step of steps) {
    if (step.type !== 'restart' || !step.config || typeof step.config !== 'object') continue
    links.set(
      step.config,
      steps
        .filter((other) => other !== step && ['service', 'restart', 'database'].includes(other.type))
        .map((other) => ({ type: other.type as RecipeServer['type'], config: other.config })),
    )
  }
}

/** The other servers of the recipe that holds this restart config (none when it was not linked). */
export function recipeServersOf(config: object): RecipeServer[] {
  return links.get(config) ?? []
}
