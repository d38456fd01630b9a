// One small descriptor per package manager: which files say it is used, what fingerprint
// decides "nothing changed", which path shows an install is in place, and how to install.
// The step itself (../dependencies.ts) only walks this table.
import { bundlerOutsideInputs } from './bundler.js'
import type { Manager, ManagerName, Project } from './manager-types.js'

export { type Manager, type ManagerName, managerNames, type Project } from './manager-types.js'

const frozenWhenLocked = (p: Project) => p.frozen && p.lockfile !== undefined

/** The venv's python: what every python manager installs with and the check looks for. */
export const venvPython = process.platform === 'win32' ? '.venv/Scripts/python.exe' : '.venv/bin/python'
const systemPython = process.platform === 'win32' ? 'python' : 'python3'

const table: Manager[] = [
  {
    name: 'npm',
    ecosystem: 'node',
    binary: 'npm',
    runtime: 'node',
    howToGet: 'install Node.js, which ships npm: https://nodejs.org',
    manifests: ['package.json'],
    lockfiles: ['package-lock.json', 'npm-shrinkwrap.json'],
    // npm 7+ writes the hidden lockfile; older npm leaves only the folder.
    markers: ['node_modules/.package-lock.json', 'node_modules'],
    commands: (p) => [frozenWhenLocked(p) ? ['npm', 'ci'] : ['npm', 'install']],
    // .npmrc changes what gets installed (omit=dev, registry, legacy-peer-deps).
    extraInputs: () => ['.npmrc'],
    outOfSync: { pattern: /can only install packages when your package\.json and/, fix: 'npm install' },
    // "npm error code E404" names a code; the next line says what went wrong.
    errorLine: /^npm (error|ERR!) (?!code |errno |syscall |path |A complete log|Log files)\S/,
  },
  {
    name: 'pnpm',
    ecosystem: 'node',
    binary: 'pnpm',
    runtime: 'node',
    howToGet: 'run `corepack enable`, which ships with Node.js, or `npm install -g pnpm`',
    manifests: ['package.json'],
    lockfiles: ['pnpm-lock.yaml'],
    markers: ['node_modules/.modules.yaml', 'node_modules'],
    commands: (p) => [['pnpm', 'install', ...(frozenWhenLocked(p) ? ['--frozen-lockfile'] : [])]],
    extraInputs: () => ['pnpm-workspace.yaml', '.npmrc'],
    outOfSync: { pattern: /ERR_PNPM_OUTDATED_LOCKFILE|lockfile is not up to date/i, fix: 'pnpm install' },
    errorLine: /ERR_PNPM_|^\s*ERROR\b/,
  },
  {
    name: 'yarn',
    ecosystem: 'node',
    binary: 'yarn',
    runtime: 'node',
    howToGet: 'run `corepack enable`, which ships with Node.js, or `npm install -g yarn`',
    manifests: ['package.json'],
    lockfiles: ['yarn.lock'],
    markers: ['.pnp.cjs', 'node_modules/.yarn-state.yml', 'node_modules/.yarn-integrity', 'node_modules'],
    commands: (p) => [
      [
        'yarn',
        'install',
        ...(frozenWhenLocked(p) ? [p.berry ? '--immutable' : '--frozen-lockfile'] : []),
        // yarn 1 trusts its integrity file: without this it says "Already up-to-date" over a
        // node_modules that lost packages, and the install repairs nothing.
        ...(p.berry ? [] : ['--check-files']),
      ],
    ],
    extraInputs: () => ['.yarnrc.yml'],
    outOfSync: {
      pattern: /lockfile would have been modified|Your lockfile needs to be updated/i,
      fix: 'yarn install',
    },
    // YN0007 ("must be built because it never has been before or the last one failed") is news, not the failure.
    errorLine: /^(error\s|➤ YN(?!0007)\d+: .*(error|forbidden|failed|couldn't be built))/i,
  },
  {
    name: 'bun',
    ecosystem: 'node',
    binary: 'bun',
    runtime: 'node',
    howToGet: 'run `npm install -g bun`, or see https://bun.sh',
    manifests: ['package.json'],
    lockfiles: ['bun.lock', 'bun.lockb'],
    markers: ['node_modules'],
    commands: (p) => [['bun', 'install', ...(frozenWhenLocked(p) ? ['--frozen-lockfile'] : [])]],
    outOfSync: { pattern: /lockfile had changes, but lockfile is frozen/i, fix: 'bun install' },
    errorLine: /^error:/,
  },
  {
    name: 'bundler',
    ecosystem: 'ruby',
    binary: 'bundle',
    // Gems with native extensions are built for one Ruby; another Ruby has another gem folder.
    runtime: 'ruby',
    howToGet: 'run `gem install bundler`',
    manifests: ['Gemfile', 'gems.rb'],
    lockfiles: ['Gemfile.lock', 'gems.locked'],
    // Only a bundle kept in the repository can be checked without running Ruby.
    markers: ['vendor/bundle'],
    commands: () => [['bundle', 'install']],
    extraInputs: () => ['.bundle/config'],
    outsideInputs: bundlerOutsideInputs,
    outOfSync: {
      pattern: /frozen mode|lockfile.*(is|are) (missing|out of date)|Gemfile\.lock.*changed/i,
      fix: 'bundle install (without BUNDLE_FROZEN / BUNDLE_DEPLOYMENT)',
    },
    errorLine: /^(Could not|Bundler could not|An error occurred|\[!\]|.*Error\b)/,
  },
  {
    name: 'pip',
    ecosystem: 'python',
    binary: systemPython,
    runtime: systemPython,
    howToGet:
      'install Python 3 with its venv module: https://python.org, or python3 and python3-venv from your platform',
    manifests: ['requirements.txt', 'pyproject.toml', 'setup.py', 'setup.cfg'],
    lockfiles: [],
    markers: [venvPython],
    commands: (p) => {
      const install =
        p.requirements.length > 0 ? p.requirements.flatMap((r) => ['-r', r]) : ['--editable', '.']
      // An existing, working venv is kept as it is: recreating it would cost seconds.
      const venv = p.recreateVenv
        ? [[systemPython, '-m', 'venv', '--clear', '.venv']]
        : p.present.has(venvPython)
          ? []
          : [[systemPython, '-m', 'venv', '.venv']]
      return [...venv, [venvPython, '-m', 'pip', 'install', '--disable-pip-version-check', ...install]]
    },
    extraInputs: (p) => [...p.requirements, ...p.includes],
    errorLine: /^ERROR:/,
  },
  {
    name: 'uv',
    ecosystem: 'python',
    binary: 'uv',
    runtime: systemPython,
    howToGet: 'run `pip install uv`, or see https://docs.astral.sh/uv/',
    manifests: ['pyproject.toml'],
    lockfiles: ['uv.lock'],
    markers: [venvPython],
    commands: (p) => [['uv', 'sync', ...(frozenWhenLocked(p) ? ['--frozen'] : [])]],
    outOfSync: { pattern: /needs to be updated, but `--(locked|frozen)`/, fix: 'uv lock' },
    errorLine: /^(error|×)/,
  },
  {
    name: 'poetry',
    ecosystem: 'python',
    binary: 'poetry',
    runtime: systemPython,
    howToGet: 'run `pipx install poetry`, or see https://python-poetry.org',
    manifests: ['pyproject.toml'],
    lockfiles: ['poetry.lock'],
    // Poetry keeps its venv outside the repository unless virtualenvs.in-project is set.
    markers: [venvPython],
    commands: () => [['poetry', 'install', '--no-interaction']],
    extraInputs: () => ['poetry.toml'],
    outOfSync: { pattern: /poetry\.lock.*(not consistent|changed significantly)/i, fix: 'poetry lock' },
    errorLine: /^\s*(Error|\w+Error)\b|does not|not found/,
  },
  {
    name: 'go',
    ecosystem: 'go',
    binary: 'go',
    howToGet: 'see https://go.dev/dl',
    manifests: ['go.mod'],
    lockfiles: ['go.sum'],
    markers: [],
    commands: () => [['go', 'mod', 'download']],
    outOfSync: { pattern: /missing go\.sum entry|updates to go\.mod needed/, fix: 'go mod tidy' },
    errorLine: /^(go: |.*: )?.*(error|missing|invalid|cannot)/i,
  },
  {
    name: 'cargo',
    ecosystem: 'rust',
    binary: 'cargo',
    howToGet: 'see https://rustup.rs',
    manifests: ['Cargo.toml'],
    lockfiles: ['Cargo.lock'],
    markers: [],
    commands: (p) => [['cargo', 'fetch', ...(frozenWhenLocked(p) ? ['--locked'] : [])]],
    outOfSync: { pattern: /lock file .* needs to be updated but --locked/, fix: 'cargo update --workspace' },
    errorLine: /^error(\[\w+\])?:/,
  },
  {
    name: 'composer',
    ecosystem: 'php',
    binary: 'composer',
    howToGet: 'see https://getcomposer.org/download',
    manifests: ['composer.json'],
    lockfiles: ['composer.lock'],
    markers: ['vendor/composer/installed.json'],
    commands: () => [['composer', 'install', '--no-interaction']],
    outOfSync: {
      pattern: /lock file is not up to date with the latest changes in composer\.json/i,
      fix: 'composer update --lock',
    },
    errorLine: /^\s*(\[\w+Exception\]|Your requirements could not|Problem \d)/,
  },
]

export const managers: ReadonlyMap<ManagerName, Manager> = new Map(table.map((m) => [m.name, m]))

export function manager(name: ManagerName): Manager {
  return managers.get(name)!
}
