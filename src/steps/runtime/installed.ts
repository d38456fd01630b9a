// The version an earlier run installed. devsetup cannot change the developer's shell, so after an
// install the shell still finds the old version; the bin folder recorded in state lets the next
// run find the installed one again instead of re-installing (and re-triggering every handler).
import path from 'node:path'
import type { CheckContext } from '../define.js'
import type { Language } from './languages.js'
import { findManager, managersFor } from './managers/index.js'
import { probe } from './probe.js'
import { satisfies, type VersionSpec } from './spec.js'

/** `dir` first on `searchPath`, without a second copy of it further down. */
export function prependPath(dir: string, searchPath: string | undefined): string {
  const rest = (searchPath ?? '').split(path.delimiter).filter((entry) => entry && entry !== dir)
  return [dir, ...rest].join(path.delimiter)
}

export interface RecordedInstall {
  binDir: string
  version: string
  /** The PATH later steps get: the recorded bin folder first. */
  PATH: string
  /** How the developer's own shell picks it up (the installing manager's hint). */
  shellHint: string
}

/**
 * The install recorded by the last successful run, when its binary is still there and satisfies
 * `spec`. Read-only: it runs the recorded binary's version command, nothing else.
 */
export async function recordedInstall(
  lang: Language,
  spec: VersionSpec,
  ctx: Pick<CheckContext, 'env' | 'exec' | 'state'>,
): Promise<RecordedInstall | undefined> {
  const binDir = ctx.state.get<string>('binDir')
  if (typeof binDir !== 'string' || !path.isAbsolute(binDir)) return undefined
  const PATH = prependPath(binDir, ctx.env.PATH)
  // Only the recorded folder is searched, so a binary found elsewhere on PATH cannot answer for it.
  const found = await probe(lang, {
    env: { ...ctx.env, PATH: binDir },
    exec: (command, options) => ctx.exec(command, { ...options, env: { ...options?.env, PATH } }),
  })
  if (!found.found || !satisfies(found.version, spec)) return undefined
  const request = { lang, spec, target: spec.installTarget }
  const recorded = ctx.state.get<string>('manager')
  const manager =
    managersFor(lang).find((m) => m.name === recorded) ?? (await findManager(lang, ctx.env))?.manager
  const shellHint = manager?.shellHint(request) ?? `restart your shell with ${binDir} first on PATH`
  return { binDir, version: found.version, PATH, shellHint }
}
