// Where devsetup keeps the runtimes it installs itself: the user's cache folder, outside every
// repository and shared by all of them (a second repository wanting node 22 finds it there).
// <cache>/runtimes/<language>/<exact version>/ holds one unpacked package. A folder only ever gets
// its version name by an atomic rename after its binary ran, so a half-finished download (named
// .partial-*) is never taken for an install; one that broke later is found by running it.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import type { CheckContext } from '../../define.js'
import type { Language } from '../languages.js'
import { bestInstalled } from '../managers/envs.js'
import { probeFolder } from '../probe.js'
import { satisfies, type VersionSpec } from '../spec.js'
import { companions } from './npm.js'
import type { RegistryPackage } from './packages.js'

/** Set it to keep devsetup's downloads somewhere else (tests point it at a temp folder). */
export const cacheDirVariable = 'DEVSETUP_CACHE_DIR'

/** devsetup's cache folder for this user, following each platform's convention. */
export function cacheRoot(
  env: Record<string, string>,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const absolute = (dir: string | undefined) => (dir && path.isAbsolute(dir) ? dir : undefined)
  const override = env[cacheDirVariable]
  if (override) return path.resolve(override)
  const home = absolute(env.HOME)
  if (platform === 'darwin') return home && path.join(home, 'Library', 'Caches', 'devsetup')
  if (platform === 'win32') {
    const local = absolute(env.LOCALAPPDATA)
    return local && path.join(local, 'devsetup', 'Cache')
  }
  // XDG: a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = absolute(env.XDG_CACHE_HOME)
  if (xdg) return path.join(xdg, 'devsetup')
  return home && path.join(home, '.cache', 'devsetup')
}

/** The folder holding every version of `language` devsetup installed. */
export function runtimesDir(env: Record<string, string>, language: string): string | undefined {
  const root = cacheRoot(env)
  return root && path.join(root, 'runtimes', language)
}

/** The bin folder of one installed version (what goes first on PATH). */
export function binDirOf(versionDir: string, pkg: RegistryPackage): string {
  return path.dirname(path.join(versionDir, pkg.binary))
}

/** Exact versions present in the cache (temp and trash folders start with a dot and are skipped). */
export async function cachedVersions(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isDirectory() && /^\d+\.\d+\.\d+$/.test(e.name)).map((e) => e.name)
}

export type CachedInstall =
  | { ok: true; version: string; binDir: string }
  | { ok: false; version: string; versionDir: string; problem: string }

/**
 * The cached version `keep` when it satisfies `spec`, else the newest that does, after running it. Read-only. A broken one is
 * reported (the run repairs it) rather than skipped, so a damaged cache is visible in `doctor`.
 */
export async function findCachedInstall(
  lang: Language,
  pkg: RegistryPackage,
  spec: VersionSpec,
  ctx: Pick<CheckContext, 'env' | 'exec'>,
  keep?: string,
): Promise<CachedInstall | undefined> {
  const dir = runtimesDir(ctx.env, lang.name)
  if (!dir) return undefined
  const versions = await cachedVersions(dir)
  const kept = keep && versions.includes(keep) && satisfies(keep, spec) ? keep : undefined
  const version = kept ?? bestInstalled(versions, spec)
  if (!version) return undefined
  const versionDir = path.join(dir, version)
  const binDir = binDirOf(versionDir, pkg)
  const [found, extra] = await Promise.all([
    probeFolder(lang, binDir, ctx),
    companions[lang.name]?.missing(binDir),
  ])
  if (found.found && found.version === version && !extra) return { ok: true, version, binDir }
  const problem = !found.found
    ? found.problem
    : found.version !== version
      ? `it reports ${found.version}`
      : extra!
  return { ok: false, version, versionDir, problem }
}
