// A package manager as the packages step sees it: when it applies on this machine, how to
// ask (in one call) which packages are missing, and the command that installs them.
import type { Exec } from '../define.js'
import type { Machine } from './machine.js'

export type ManagerKey = 'brew' | 'brewfile' | 'apt' | 'dnf' | 'yum' | 'zypper' | 'pacman' | 'apk'

export interface Missing {
  /** What is passed to the installer, as written in the recipe. */
  spec: string
  /** What the user reads: "sl", or "sl (5.01 installed, recipe wants 5.02)". */
  label: string
}

export interface Manager {
  key: ManagerKey
  /** Validates each package name at load time: no options (`-y`), globs or shell characters. */
  namePattern: RegExp
  nameHint: string
  /** System managers need root (sudo when not root); Homebrew refuses to run as root. */
  needsRoot: boolean
  env?: Record<string, string>
  /** Why this manager's list does not apply on this machine; undefined when it does. */
  unavailable(machine: Machine): string | undefined
  /** One call to the manager's database: which of `specs` are not installed. */
  missing(specs: string[], exec: Exec, cwd: string): Promise<Missing[]>
  /** The install command for `specs`, without sudo. */
  installArgs(specs: string[], cwd: string): string[]
  /** A command to run before installing, and why (apt-get update when the lists are stale). */
  prepare?(): Promise<{ args: string[]; why: string } | undefined>
}

/** `unavailable` for a manager that needs all of `tools` on PATH. */
export const present =
  (...tools: string[]) =>
  (machine: Machine): string | undefined => {
    const absent = tools.filter((tool) => !machine.which(tool))
    return absent.length === 0 ? undefined : `${absent.join(', ')} not on this machine`
  }
