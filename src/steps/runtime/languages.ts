// One small descriptor per language: its binaries, how to read its version, where a repository
// pins it, and what each version manager calls it. Adding a language is adding an entry here.
import { normalizeRubyVersion, rubyManualInstall } from './ruby.js'
import { coerceVersion } from './spec.js'

export interface Language {
  name: string
  /** Executables tried on PATH, in order (python3 before python). */
  binaries: string[]
  versionArgs: string[]
  /** Some tools print their version on stderr (java -version). */
  versionOn: 'stdout' | 'stderr'
  /** Reads the exact version from the version command's output. */
  parseVersion: (output: string) => string | undefined
  /** Plain version files in the repository, nearest first. */
  versionFiles: string[]
  /** Names of this tool in .tool-versions and mise.toml [tools]. */
  toolNames: string[]
  /** package.json: `engines.<key>` and `volta.<key>`. */
  packageJsonKey?: string
  /** Turns a pinned value into a spec ("temurin-17.0.9+9" → "17.0.9"). */
  normalizeFileValue?: (value: string) => string
  /** node and java are installed by major line; python, ruby and go by major.minor. */
  installByMajor: boolean
  /** The plugin/tool name for mise and asdf (undefined: the manager does not handle it). */
  mise?: string
  asdf?: string
  /** The language's own managers, in order of preference after mise and asdf. */
  ownManagers: string[]
  /** What to run to install it by hand, for the error when no manager is found. */
  manualInstall: (target: string, platform: NodeJS.Platform) => string
}

const brewOr = (formula: string, other: string) => (platform: NodeJS.Platform) =>
  platform === 'darwin' ? `brew install ${formula}` : other

/**
 * mise pinned for this repository only (`mise use` without -g writes the repository's mise.toml):
 * devsetup never changes a developer's global default, and neither should its advice.
 */
const miseInRepository = (tool: string, target: string) =>
  `install mise (curl https://mise.run | sh), then in this repository: mise use ${tool}@${target}`

/** "1.8.0_392" (java 8's old numbering) → "8.0.392". */
function javaVersion(output: string): string | undefined {
  const quoted = /version "([^"]+)"/.exec(output)?.[1] ?? output
  const legacy = /^1\.(\d+)\.(\d+)(?:_(\d+))?/.exec(quoted)
  if (legacy) return `${legacy[1]}.${legacy[2]}.${legacy[3] ?? 0}`
  return coerceVersion(quoted)
}

/** Strips a vendor or product prefix: "temurin-17.0.9+9" → "17.0.9", "go1.22" → "1.22". */
const leadingVersion = (value: string) => /\d+(?:\.\d+){0,2}/.exec(value)?.[0] ?? value

export const languages: Record<string, Language> = {
  node: {
    name: 'node',
    binaries: ['node'],
    versionArgs: ['--version'],
    versionOn: 'stdout',
    parseVersion: coerceVersion,
    versionFiles: ['.nvmrc', '.node-version'],
    toolNames: ['node', 'nodejs'],
    packageJsonKey: 'node',
    installByMajor: true,
    mise: 'node',
    asdf: 'nodejs',
    ownManagers: ['fnm', 'nvm', 'volta', 'n'],
    manualInstall: (t, p) => brewOr(`node@${t}`, miseInRepository('node', t))(p),
  },
  ruby: {
    name: 'ruby',
    binaries: ['ruby'],
    versionArgs: ['-v'],
    versionOn: 'stdout',
    parseVersion: coerceVersion,
    versionFiles: ['.ruby-version'],
    toolNames: ['ruby'],
    normalizeFileValue: normalizeRubyVersion,
    installByMajor: false,
    mise: 'ruby',
    asdf: 'ruby',
    ownManagers: ['rbenv', 'ruby-install', 'frum'],
    manualInstall: (t, p) => rubyManualInstall(t, p, miseInRepository('ruby', t)),
  },
  python: {
    name: 'python',
    binaries: ['python3', 'python'],
    versionArgs: ['--version'],
    versionOn: 'stdout',
    parseVersion: coerceVersion,
    versionFiles: ['.python-version'],
    toolNames: ['python'],
    installByMajor: false,
    mise: 'python',
    asdf: 'python',
    ownManagers: ['pyenv', 'uv'],
    manualInstall: (t) =>
      `install uv (curl -LsSf https://astral.sh/uv/install.sh | sh), then: uv python install ${t}`,
  },
  go: {
    name: 'go',
    binaries: ['go'],
    versionArgs: ['version'],
    versionOn: 'stdout',
    parseVersion: (out) => coerceVersion(out.replace(/^go version /, '')),
    versionFiles: ['.go-version'],
    toolNames: ['go', 'golang'],
    // .go-version may say "go1.22.1"; go.mod's minimum arrives as ">=1.22" and stays a range.
    normalizeFileValue: (v) => v.replace(/^go(?=\d)/, ''),
    installByMajor: false,
    mise: 'go',
    asdf: 'golang',
    ownManagers: ['goenv'],
    manualInstall: (t) => miseInRepository('go', t),
  },
  java: {
    name: 'java',
    binaries: ['java'],
    versionArgs: ['-version'],
    versionOn: 'stderr',
    parseVersion: javaVersion,
    versionFiles: ['.java-version'],
    toolNames: ['java'],
    normalizeFileValue: (v) => javaVersion(`version "${leadingVersion(v)}"`) ?? v,
    installByMajor: true,
    mise: 'java',
    asdf: 'java',
    ownManagers: [],
    manualInstall: (t, p) => brewOr(`openjdk@${t}`, miseInRepository('java', t))(p),
  },
  bun: {
    name: 'bun',
    binaries: ['bun'],
    versionArgs: ['--version'],
    versionOn: 'stdout',
    parseVersion: coerceVersion,
    versionFiles: ['.bun-version'],
    toolNames: ['bun'],
    packageJsonKey: 'bun',
    installByMajor: true,
    mise: 'bun',
    asdf: 'bun',
    ownManagers: [],
    manualInstall: (t) => miseInRepository('bun', t),
  },
  deno: {
    name: 'deno',
    binaries: ['deno'],
    versionArgs: ['--version'],
    versionOn: 'stdout',
    parseVersion: coerceVersion,
    versionFiles: ['.dvmrc', '.deno-version'],
    toolNames: ['deno'],
    installByMajor: true,
    mise: 'deno',
    asdf: 'deno',
    ownManagers: [],
    manualInstall: (t) => miseInRepository('deno', t),
  },
  // Not installed by devsetup (the system's package manager owns it), but checkable.
  git: {
    name: 'git',
    binaries: ['git'],
    versionArgs: ['--version'],
    versionOn: 'stdout',
    parseVersion: coerceVersion,
    versionFiles: [],
    toolNames: [],
    installByMajor: false,
    ownManagers: [],
    manualInstall: (_t, p) =>
      p === 'darwin' ? 'brew install git' : 'sudo apt-get install git (or your system’s package manager)',
  },
}

export const languageNames = Object.keys(languages)
