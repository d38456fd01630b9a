// Finding files without starting a process: an executable on a PATH (what `which` does),
// and whether a path exists. Step checks use these because they must stay read-only and fast.
import { constants, existsSync } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import path from 'node:path'

/**
 * Whether a path exists (following symlinks). Synchronous on purpose: a stat takes
 * microseconds, while the async version queues behind other work on libuv's 4 threads.
 */
export async function exists(file: string): Promise<boolean> {
  return existsSync(file)
}

/** Whether `file` is a regular file (after symlinks) that we may execute. */
export async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK)
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}

/** The path of `binary` on the env's PATH (Path, PATHEXT on Windows), or undefined. */
export async function findOnPath(binary: string, env: Record<string, string>): Promise<string | undefined> {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean)
  const extensions =
    process.platform === 'win32'
      ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())
      : ['']
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = path.join(dir, binary + ext)
      if (await isExecutableFile(candidate)) return candidate
    }
  }
  return undefined
}

/** Names the shim folder devsetup put first on a step's PATH (shims.ts). */
export const shimsVar = 'DEVSETUP_SHIMS'

/**
 * The env with devsetup's own shim folder taken off PATH: what finds the real programs, so a
 * command shown to the user (a check's fix line) works in their shell, where the shims are not.
 */
export function withoutShims(env: Record<string, string>): Record<string, string> {
  const folder = env[shimsVar]
  if (!folder) return env
  const dirs = (env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== folder)
  return { ...env, PATH: dirs.join(path.delimiter) }
}
