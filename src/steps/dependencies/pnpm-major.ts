// Which pnpm corepack runs when package.json pins none (`packageManager`): corepack's newest,
// which may read the project's settings differently from the pnpm that wrote the lockfile
// (pnpm 11+ no longer reads .npmrc's `auto-install-peers` or pnpm-workspace.yaml's
// `onlyBuiltDependencies`: a frozen install then refuses with ERR_PNPM_LOCKFILE_CONFIG_MISMATCH,
// a thawed one with ERR_PNPM_IGNORED_BUILDS). The lockfile's `lockfileVersion` says which
// majors write it; the newest of them is the one to run (`corepack pnpm@10`, a major corepack
// resolves from the npm registry). Only files are read: checks and shims call this too.
import { readFile } from 'node:fs/promises'
import path from 'node:path'

export interface PnpmPin {
  /** What corepack is asked for: `pnpm@10`. */
  spec: string
  /** Why, for the step's output and the fix: `pnpm-lock.yaml lockfileVersion 9.0 …`. */
  why: string
}

/**
 * lockfileVersion → the newest pnpm major that writes it (pnpm's lockfile table: 5.3 by pnpm 6,
 * 5.4 by 7, 6.0/6.1 by 8, 9.0 by 9 and 10). A version not listed here: undefined (corepack's own choice).
 */
function newestWriter(version: string): string | undefined {
  if (/^9(\.|$)/.test(version)) return '10'
  if (/^6(\.|$)/.test(version)) return '8'
  if (version === '5.4') return '7'
  if (version === '5.3') return '6'
  return undefined
}

/**
 * The pnpm to run for `dir` through corepack, or undefined when a package.json there or above
 * pins one (corepack follows it) or no lockfile says which.
 */
export async function pnpmPin(dir: string): Promise<PnpmPin | undefined> {
  if (await packageManagerOf(dir)) return undefined
  for (let folder = dir; ; folder = path.dirname(folder)) {
    const file = path.join(folder, 'pnpm-lock.yaml')
    const text = await readFile(file, 'utf8').catch(() => undefined)
    const version = text === undefined ? undefined : /^lockfileVersion:[ \t]*['"]?([\d.]+)/m.exec(text)?.[1]
    if (version) {
      const major = newestWriter(version)
      if (!major) return undefined
      const where = path.relative(dir, file)
      return {
        spec: `pnpm@${major}`,
        why: `package.json pins no pnpm (packageManager); ${where} has lockfileVersion ${version}, which pnpm ${major} is the newest to write`,
      }
    }
    if (text !== undefined || path.dirname(folder) === folder) return undefined
  }
}

/**
 * package.json's `packageManager` in `dir` or a folder above (corepack reads the nearest that
 * has one; another manager named there makes corepack refuse with its own, right, message).
 */
export async function packageManagerOf(dir: string): Promise<string | undefined> {
  for (let folder = dir; ; folder = path.dirname(folder)) {
    const text = await readFile(path.join(folder, 'package.json'), 'utf8').catch(() => undefined)
    const manager = text === undefined ? undefined : jsonField(text)
    if (manager) return manager
    if (path.dirname(folder) === folder) return undefined
  }
}

function jsonField(text: string): string | undefined {
  try {
    const manager = (JSON.parse(text) as { packageManager?: unknown }).packageManager
    return typeof manager === 'string' ? manager : undefined
  } catch {
    return undefined
  }
}
