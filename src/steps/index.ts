// The explicit registry of step types. A recipe's type keys are looked up here; adding a step
// type means adding its module, its schema module and one entry below. Each part is loaded
// only when needed: see registry.ts for how.
import { lazyRegistry } from './registry.js'

const registry = lazyRegistry({
  cleanup: {
    behavior: async () => (await import('./cleanup.js')).cleanup,
    schema: async () => (await import('./cleanup/schema.js')).schema,
  },
  database: {
    behavior: async () => (await import('./database.js')).database,
    schema: async () => (await import('./database/schema.js')).schema,
  },
  dependencies: {
    behavior: async () => (await import('./dependencies.js')).dependencies,
    schema: async () => (await import('./dependencies/schema.js')).schema,
  },
  dotenv: {
    behavior: async () => (await import('./dotenv.js')).dotenv,
    schema: async () => (await import('./dotenv/schema.js')).schema,
  },
  packages: {
    behavior: async () => (await import('./packages.js')).packages,
    schema: async () => (await import('./packages/schema.js')).schema,
  },
  restart: {
    behavior: async () => (await import('./restart.js')).restart,
    schema: async () => (await import('./restart/schema.js')).schema,
  },
  run: {
    behavior: async () => (await import('./run.js')).run,
    schema: async () => (await import('./run/schema.js')).schema,
  },
  runtime: {
    behavior: async () => (await import('./runtime.js')).runtime,
    schema: async () => (await import('./runtime/schema.js')).schema,
  },
  service: {
    behavior: async () => (await import('./service.js')).service,
    schema: async () => (await import('./service/schema.js')).schema,
  },
})

export const { stepTypes, loadStepTypes, loadStepBehaviors, loadStepSchemas, typesNamedIn } = registry
