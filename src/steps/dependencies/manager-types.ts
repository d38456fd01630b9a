// What the table of package managers (managers.ts) is made of: the names, what an install
// needs to know about its folder, and what each manager's descriptor says.
export const managerNames = [
  'npm',
  'pnpm',
  'yarn',
  'bun',
  'bundler',
  'pip',
  'uv',
  'poetry',
  'go',
  'cargo',
  'composer',
] as const
export type ManagerName = (typeof managerNames)[number]

/** What an install needs to know about the folder it runs in. */
export interface Project {
  /** Absolute folder the manager runs in. */
  dir: string
  /** The lockfile found there, if any (relative to dir). */
  lockfile: string | undefined
  /** Files that exist in dir, among those the table names. */
  present: ReadonlySet<string>
  /** pip: requirements files (relative to dir). */
  requirements: readonly string[]
  /** false: the plain install even where a lockfile exists. */
  frozen: boolean
  /** yarn: Yarn 2+ (berry) rather than classic. */
  berry: boolean
  /** pip: files the requirements pull in with -r / -c (relative to dir), recursively. */
  includes: readonly string[]
  /** pip: .venv exists but is broken, or was made by another python: make it afresh (--clear). */
  recreateVenv: boolean
  /** node: why other managers' lockfiles here are not used ("yarn.lock ignored: ..."), if any. */
  ignoredLockfiles: string | undefined
}

export interface Manager {
  name: ManagerName
  /** Only one manager per ecosystem is detected in a folder: they share its install folder. */
  ecosystem: 'node' | 'ruby' | 'python' | 'go' | 'rust' | 'php'
  /** The program that must be on PATH. */
  binary: string
  /**
   * The interpreter the install is built for (native addons, venvs): its real path is
   * recorded, so a switch to another Node or Python installs again.
   */
  runtime?: string
  /** How to get `binary` when it is missing. */
  howToGet: string
  manifests: readonly string[]
  /** In order of preference. */
  lockfiles: readonly string[]
  /**
   * Paths (relative to dir) an install leaves behind; the first one present after a
   * successful install is recorded, and must still be there for the step to be met.
   * Empty: the manager installs into a shared cache only (go, cargo).
   */
  markers: readonly string[]
  /** The commands of an install, in order. */
  commands(project: Project): string[][]
  /** Extra files whose content is part of the fingerprint (requirements files, .yarnrc.yml). */
  extraInputs?(project: Project): string[]
  /** Inputs outside the project (variables, user-level config) as name → sha256, or null when absent. */
  outsideInputs?(env: Record<string, string>): Promise<Record<string, string | null>>
  /** The manager's own words for "the lockfile does not match the manifest", and the fix. */
  outOfSync?: { pattern: RegExp; fix: string }
  /** The manager's error lines, to report its first one rather than "exited with code 1". */
  errorLine: RegExp
}
