// What every version manager offers the runtime step: find itself, install a version,
// and say which bin folder holds that version (put first on PATH for the rest of the run).
import path from 'node:path'
import { findOnPath, isExecutableFile } from '../../../engine/which.js'
import type { RunContext } from '../../define.js'
import type { Language } from '../languages.js'
import type { VersionSpec } from '../spec.js'

export type ManagerContext = Pick<RunContext, 'cwd' | 'env' | 'exec' | 'output'>

export interface InstallRequest {
  lang: Language
  spec: VersionSpec
  /** `spec.installTarget`, e.g. "22", "3.12", "latest". */
  target: string
  /**
   * The version this repository's last run used (its state): devsetup's own install takes it again
   * while it satisfies `spec`, so `up --force` does not move the app to a newer node another
   * repository put in the shared cache (flame: node 24 → 25.9.0, which its jwa crashed on).
   */
  keep?: string | undefined
}

export interface Manager {
  name: string
  handles(lang: Language): boolean
  /** The manager's executable (or nvm's script); undefined when not installed. Read-only. */
  locate(env: Record<string, string>): Promise<string | undefined>
  /** The command shown by `doctor` as the fix (`env`: the step's, for paths under HOME). */
  fixCommand(request: InstallRequest, env: Record<string, string>): string
  /** The install's subtask title, when the fix command would not read as one. */
  describeInstall?(request: InstallRequest): string
  /** Installs (or finds installed) the version; returns the folder holding its binaries. */
  install(located: string, request: InstallRequest, ctx: ManagerContext): Promise<string>
  /** How the developer's own shell picks the version up (`binDir`: where it was installed). */
  shellHint(request: InstallRequest, binDir: string): string
}

/** `name` on PATH, else the first of `fallbacks` (install locations that are not on PATH yet). */
export async function locateBinary(
  name: string,
  env: Record<string, string>,
  fallbacks: Array<string | undefined>,
): Promise<string | undefined> {
  const onPath = await findOnPath(name, env)
  if (onPath) return onPath
  for (const candidate of fallbacks) if (candidate && (await isExecutableFile(candidate))) return candidate
  return undefined
}

/** `~/rest` for the step's HOME (tests and sandboxes set their own). */
export function home(env: Record<string, string>, ...rest: string[]): string | undefined {
  return env.HOME ? path.join(env.HOME, ...rest) : undefined
}

/** The last non-empty line of a command's output (`mise where` prints only the path). */
export function lastLine(text: string): string {
  return (
    text
      .trim()
      .split(/\r?\n/)
      .filter((l) => l.trim())
      .pop()
      ?.trim() ?? ''
  )
}

/** The line that puts `binDir` first on PATH in a bash or zsh startup file. */
export function pathExportLine(binDir: string): string {
  return `export PATH="${binDir}:$PATH"`
}
