// The order of preference: mise, asdf, then the language's own managers (its descriptor lists them),
// then devsetup's own install from the npm registry (node, bun, deno), when none is installed.
import type { Language } from '../languages.js'
import { goenv, pyenv, rbenv, uv } from './envs.js'
import { fnm, n, nvm, volta } from './node.js'
import { asdf, mise } from './polyglot.js'
import { frum, rubyInstall } from './ruby.js'
import { selfInstall } from './self-install.js'
import type { Manager } from './types.js'

export type { InstallRequest, Manager, ManagerContext } from './types.js'

const own: Record<string, Manager> = {
  fnm,
  nvm,
  volta,
  n,
  pyenv,
  uv,
  rbenv,
  'ruby-install': rubyInstall,
  frum,
  goenv,
}

export function managersFor(lang: Language): Manager[] {
  const candidates = [mise, asdf, ...lang.ownManagers.map((name) => own[name]!), selfInstall]
  return candidates.filter((m) => m.handles(lang))
}

/** The first manager this machine has, with where it lives. Read-only (file lookups only). */
export async function findManager(
  lang: Language,
  env: Record<string, string>,
): Promise<{ manager: Manager; located: string } | undefined> {
  for (const manager of managersFor(lang)) {
    const located = await manager.locate(env)
    if (located) return { manager, located }
  }
  return undefined
}

/** The version managers proper (not devsetup's own install), for "looked for …" messages. */
export function versionManagersFor(lang: Language): Manager[] {
  return managersFor(lang).filter((m) => m !== selfInstall)
}

export { selfInstall }
