// The explicit registry of step types. A recipe's type keys are looked up here;
// adding a step type means adding its file and one line below. A type's module (its schema,
// its helpers and the libraries they use) is loaded only when a recipe names it: see
// registry.ts for how.
import { lazyRegistry } from './registry.js'

const registry = lazyRegistry({
  cleanup: async () => (await import('./cleanup.js')).cleanup,
  database: async () => (await import('./database.js')).database,
  dependencies: async () => (await import('./dependencies.js')).dependencies,
  dotenv: async () => (await import('./dotenv.js')).dotenv,
  packages: async () => (await import('./packages.js')).packages,
  restart: async () => (await import('./restart.js')).restart,
  run: async () => (await import('./run.js')).run,
  runtime: async () => (await import('./runtime.js')).runtime,
  service: async () => (await import('./service.js')).service,
})

export const { stepTypes, loadStepTypes, loadStepTypesFor } = registry
