// The version an earlier run installed. devsetup cannot change the developer's shell, so after an
// install the shell still finds the old version; the bin folder recorded in state lets the next
// run find the installed one again instead of re-installing (and re-triggering every handler).
import path from 'node:path'
import type { CheckContext } from '../define.js'
import type { Language } from './languages.js'
import { findManager, managersFor, selfInstall } from './managers/index.js'
import { pathExportLine } from './managers/types.js'
import { probeFolder } from './probe.js'
import { findCachedInstall } from './self-install/cache.js'
import { companions } from './self-install/npm.js'
import { registryPackage } from './self-install/packages.js'
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
  // devsetup's own install is whole only with what comes with it (node's npm): else it is
  // found broken in the cache below, and installed again.
  const itself = ctx.state.get<string>('manager') === selfInstall.name
  const [found, extra] = await Promise.all([
    probeFolder(lang, binDir, ctx),
    itself ? companions[lang.name]?.missing(binDir) : undefined,
  ])
  if (!found.found || !satisfies(found.version, spec) || extra) return undefined
  const request = { lang, spec, target: spec.installTarget }
  const recorded = ctx.state.get<string>('manager')
  const manager =
    managersFor(lang).find((m) => m.name === recorded) ?? (await findManager(lang, ctx.env))?.manager
  const shellHint =
    manager?.shellHint(request, binDir) ?? `add to your shell startup file: ${pathExportLine(binDir)}`
  return { binDir, version: found.version, PATH, shellHint }
}

/**
 * What devsetup installed itself into its cache folder, by a run in this repository or another:
 * the newest satisfying version there that runs. A broken one is handed back as a problem, so
 * the check can say why the step will install it again.
 */
export async function cachedInstall(
  lang: Language,
  spec: VersionSpec,
  ctx: Pick<CheckContext, 'env' | 'exec'>,
): Promise<RecordedInstall | { problem: string } | undefined> {
  const pkg = registryPackage(lang.name)
  const cached = pkg && (await findCachedInstall(lang, pkg, spec, ctx))
  if (!cached) return undefined
  if (!cached.ok)
    return {
      problem: `devsetup's ${lang.name} ${cached.version} in ${cached.versionDir} does not run (${cached.problem})`,
    }
  const request = { lang, spec, target: spec.installTarget }
  return {
    binDir: cached.binDir,
    version: cached.version,
    PATH: prependPath(cached.binDir, ctx.env.PATH),
    shellHint: selfInstall.shellHint(request, cached.binDir),
  }
}
