// node-config (the `config` package): an app's settings are config/default.{json,yml,yaml},
// overlaid by config/development.*, with config/custom-environment-variables.* naming the env
// keys that override a setting. A fresh clone has no node_modules, so a config module that does
// `require('config')` gets this merge instead (the child in config-child.ts serves it), computed
// here with the example env's values the way node-config computes it.
import type { EnvExample } from './env-example.js'
import type { RepoProbe } from './repo.js'

type Tree = Record<string, unknown>

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The merged settings for NODE_ENV=development, or undefined when the app does not use node-config. */
export function nodeConfig(repo: RepoProbe, example: EnvExample | undefined): Tree | undefined {
  const deps = repo.nodeDependencies()
  // Feathers' @feathersjs/configuration is node-config underneath, with the same files.
  if (deps.config === undefined && deps['@feathersjs/configuration'] === undefined) return undefined
  return nodeConfigSettings(repo, example)
}

/**
 * A setting the code reads with `app.get('port')` / `config.get('port')`: the call itself says the
 * app uses node-config, also through a dependency that wraps it (@feathersjs/configuration).
 * Where it comes from: the env key custom-environment-variables maps it to, else the file's line.
 */
export function nodeConfigValue(
  repo: RepoProbe,
  example: EnvExample | undefined,
  key: string,
): { port: number; why: string } | undefined {
  const path = key.split('.')
  let value: unknown = nodeConfigSettings(repo, example)
  for (const piece of path) value = isTree(value) ? value[piece] : undefined
  const port = Number(value)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined
  const name = Object.entries(example?.vars ?? {}).find(([, v]) => v === String(value))?.[0]
  for (const file of ['development', 'default'].flatMap((n) =>
    ['json', 'yml', 'yaml'].map((e) => `config/${n}.${e}`),
  )) {
    const line = (repo.read(file) ?? '')
      .split('\n')
      .findIndex((l) => new RegExp(`["']?${path.at(-1)}["']?\\s*:\\s*${port}\\b`).test(l))
    if (line >= 0) return { port, why: `${file}:${line + 1}` }
  }
  return {
    port,
    why: name && example ? `${name} in ${example.file} (config/custom-environment-variables)` : 'config/',
  }
}

function nodeConfigSettings(repo: RepoProbe, example: EnvExample | undefined): Tree | undefined {
  if (!repo.isDir('config')) return undefined
  const read = (name: string): Tree | undefined => {
    for (const ext of ['json', 'yml', 'yaml']) {
      const file = `config/${name}.${ext}`
      const value = ext === 'json' ? repo.json(file) : repo.yaml(file)
      if (isTree(value)) return value
    }
    return undefined
  }
  const merged = merge(merge({}, read('default') ?? {}), read('development') ?? {})
  const fromEnv = read('custom-environment-variables')
  if (fromEnv) overlayEnv(merged, fromEnv, example?.vars ?? {})
  return merged
}

function merge(into: Tree, from: Tree): Tree {
  for (const [key, value] of Object.entries(from)) {
    into[key] = isTree(value) && isTree(into[key]) ? merge(into[key] as Tree, value) : value
  }
  return into
}

/** `{ db: { client: 'DB_CLIENT' } }`: the env key's value, when the example sets it, wins. */
function overlayEnv(into: Tree, names: Tree, vars: Record<string, string>): void {
  for (const [key, name] of Object.entries(names)) {
    if (isTree(name) && typeof name.__name === 'string') {
      const value = vars[name.__name]
      if (value) into[key] = name.__format === 'json' ? safeJson(value) : value
    } else if (isTree(name)) {
      if (!isTree(into[key])) into[key] = {}
      overlayEnv(into[key] as Tree, name, vars)
    } else if (typeof name === 'string' && vars[name]) {
      into[key] = vars[name]
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
