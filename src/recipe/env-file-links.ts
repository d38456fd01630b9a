// Which env files a `restart` step's server loads: the `to` files of the recipe's dotenv steps
// on the restart's folder line (the same folder, one inside it — a workspace's app started from
// the root —, or one above it: `dotenv.config({ path: '../.env' })`), never a sibling folder's
// (web/.env is not the api's), and the ones its own `env_files:` names (a committed configs/.env
// the app loads by path, Next's .env.development: files no dotenv step writes). The restart records them when it starts the server and its check
// compares them (src/steps/restart/env-files.ts): a step sees only its own config, so the
// recipe loader links them here, after a parse and after a cache hit alike (server-steps.ts).
import path from 'node:path'
import type { RecipeItem } from './types.js'

const links = new WeakMap<object, string[]>()

const inside = (folder: string, parent: string) => {
  const rel = path.relative(parent, folder)
  return !rel.startsWith('..') && !path.isAbsolute(rel)
}

/** Links every restart step's config to its env files, relative to the repository root. */
export function linkEnvFiles(items: readonly RecipeItem[]): void {
  const steps = items.flatMap((item) => (item.kind === 'parallel' ? item.steps : [item]))
  const files = steps.flatMap((step) => {
    const to = (step.config as { to?: unknown } | undefined)?.to
    return step.type === 'dotenv' && typeof to === 'string' ? [path.join(step.options.cwd ?? '.', to)] : []
  })
  for (const step of steps) {
    if (step.type !== 'restart' || !step.config || typeof step.config !== 'object') continue
    const cwd = path.normalize(step.options.cwd ?? '.')
    const own = files.filter((file) => inside(path.dirname(file), cwd) || inside(cwd, path.dirname(file)))
    const named = (step.config as { env_files?: unknown }).env_files
    const listed = Array.isArray(named) ? named.filter((f): f is string => typeof f === 'string') : []
    links.set(step.config, [...new Set([...own, ...listed.map((file) => path.join(cwd, file))])])
  }
}

/** The env files (relative to the repository root) the server of this restart config loads. */
export function envFilesOf(config: object): string[] {
  return links.get(config) ?? []
}
