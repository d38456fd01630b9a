// A knexfile that only hands over the app's settings — Feathers' generated
// `const config = app.get('sqlite'); module.exports = config`, or `config.get('db')` — is as good
// as its node-config entry: the merged config/default + development files (node-config.ts, also
// when node-config comes through @feathersjs/configuration) under that key, with the example env's
// overrides. A TypeScript knexfile cannot be loaded (it imports the app), but this needs no loading.

import type { EnvExample } from '../../env-example.js'
import type { LoadedConfig } from '../../load-config.js'
import { nodeConfig } from '../../node-config.js'
import type { RepoProbe } from '../../repo.js'

/** The knex config the knexfile's `app.get('<key>')` / `config.get('<key>')` names, as a loaded config. */
export function knexConfigFromSettings(
  repo: RepoProbe,
  example: EnvExample | undefined,
  knexfile: string,
): { config: LoadedConfig; said: string } | undefined {
  const text = repo.read(knexfile) ?? ''
  const call = /\b(?:app|config)\.get\(\s*['"]([\w.]+)['"]\s*\)/.exec(text)
  if (!call) return undefined
  const settings = nodeConfig(repo, example)
  let value: unknown = settings
  for (const part of call[1]!.split('.')) value = (value as Record<string, unknown> | undefined)?.[part]
  if (!value || typeof value !== 'object' || !('client' in value)) return undefined
  const files = ['default', 'development']
    .flatMap((n) => ['json', 'yml', 'yaml'].map((ext) => `config/${n}.${ext}`))
    .filter((f) => repo.has(f))
  const line = text.slice(0, call.index).split('\n').length
  return {
    config: { file: files[0]!, value, envRead: {}, envFile: example?.file, stubbed: [] },
    said: `${knexfile}:${line} ${call[0]} = ${call[1]} in ${files.join(' + ')} (node-config)`,
  }
}
