// What `devsetup init` recognises in a repository, and why. Each finding becomes one step;
// its `slot` lets a template's step of the same kind take the detected settings.
import { detectDatabase } from './detect-database.js'
import { detectDevServer } from './dev-server.js'
import { findEnvExample } from './env-example.js'
import { RepoProbe } from './repo.js'
import { detectSetupCommand } from './setup-command.js'

export interface DetectedStep {
  /** 'runtime:node', 'dependencies', 'database', ...: one step per slot. */
  slot: string
  type: string
  /** The value under the type key; undefined writes the bare form (`- dependencies`). */
  config: unknown
  /** The files that led to it, shown to the user and written as the step's comment. */
  why: string
  /** A flat step (`run`): the whole item, written as it is. */
  flat?: Record<string, unknown>
}

export interface Detection {
  steps: DetectedStep[]
  /** Recipe-level env (DATABASE_URL with the example's value as default). */
  env: Record<string, string>
  /** Things seen but not turned into a step, shown to the user. */
  notes: string[]
  /** The app reads split DB_* variables, not DATABASE_URL: a template's env.DATABASE_URL is dropped. */
  dropEnvUrl?: boolean
}

/** The order steps appear in a written recipe: what later steps need comes first. */
export const typeOrder = [
  'packages',
  'runtime',
  'dotenv',
  'dependencies',
  'service',
  'database',
  'run',
  'cleanup',
  'restart',
]

const runtimeFiles: Record<string, string[]> = {
  node: ['.nvmrc', '.node-version'],
  ruby: ['.ruby-version'],
  python: ['.python-version'],
  go: ['.go-version'],
  java: ['.java-version'],
  bun: ['.bun-version'],
  deno: ['.dvmrc', '.deno-version'],
}
const toolNames: Record<string, string> = { nodejs: 'node', golang: 'go' }

const lockfiles: Record<string, string> = {
  'package-lock.json': 'npm',
  'npm-shrinkwrap.json': 'npm',
  'pnpm-lock.yaml': 'pnpm',
  'yarn.lock': 'yarn',
  'bun.lock': 'bun',
  'bun.lockb': 'bun',
  'Gemfile.lock': 'bundler',
  'uv.lock': 'uv',
  'poetry.lock': 'poetry',
  'requirements.txt': 'pip',
  'go.sum': 'go',
  'Cargo.lock': 'cargo',
  'composer.lock': 'composer',
}
const manifests: Record<string, string> = {
  'package.json': 'npm',
  Gemfile: 'bundler',
  'pyproject.toml': 'python',
  'go.mod': 'go',
  'Cargo.toml': 'cargo',
  'composer.json': 'composer',
}

export function detect(root: string): Detection {
  const repo = new RepoProbe(root)
  const detection: Detection = { steps: [], env: {}, notes: [] }
  const add = (step: DetectedStep) => detection.steps.push(step)

  if (repo.has('Brewfile'))
    add({ slot: 'packages', type: 'packages', config: { brewfile: 'Brewfile' }, why: 'Brewfile' })
  for (const step of detectRuntimes(repo)) add(step)

  const example = findEnvExample(repo)
  const database = detectDatabase(repo, example)
  if (example) {
    // Values this machine needs (a compose host → 127.0.0.1); a person's own values are kept.
    const set = database?.set ?? {}
    const config = Object.keys(set).length > 0 ? { from: example.file, set } : { from: example.file }
    add({ slot: 'dotenv', type: 'dotenv', config, why: example.why })
  }

  // Lockfiles, and manifests of ecosystems without one (plain `npm install`); the step detects the managers itself.
  const locked = Object.entries(lockfiles).filter(([file]) => repo.has(file))
  const unlocked = Object.entries(manifests).filter(
    ([file, ecosystem]) => repo.has(file) && !locked.some(([, m]) => sameEcosystem(m, ecosystem)),
  )
  const files = [...locked, ...unlocked].map(([file]) => file)
  if (files.length > 0)
    add({ slot: 'dependencies', type: 'dependencies', config: undefined, why: files.join(', ') })

  if (database) {
    if (database.splitVars) detection.dropEnvUrl = true
    add(database.step)
    Object.assign(detection.env, database.env)
    detection.notes.push(...database.notes)
  }

  const cleanup = [repo.isDir('log') ? 'log/*.log' : '', repo.isDir('tmp') ? 'tmp/cache' : ''].filter(Boolean)
  if (cleanup.length > 0) {
    const why = [repo.isDir('log') ? 'log/' : '', repo.isDir('tmp') ? 'tmp/' : ''].filter(Boolean).join(', ')
    add({ slot: 'cleanup', type: 'cleanup', config: { paths: cleanup }, why: `${why} folder` })
  }

  const setup = detectSetupCommand(repo)
  if (setup.step) add(setup.step)
  if (setup.note) detection.notes.push(setup.note)
  const server = detectDevServer(repo, example)
  for (const step of server) add(step)
  const restart = server.some((s) => s.type === 'restart') ? undefined : detectRestart(repo)
  if (restart) add(restart)
  return detection
}

function detectRuntimes(repo: RepoProbe): DetectedStep[] {
  const why = new Map<string, string[]>()
  const note = (name: string, file: string) => why.set(name, [...(why.get(name) ?? []), file])
  for (const [name, files] of Object.entries(runtimeFiles)) {
    for (const file of files) if (repo.has(file)) note(name, file)
  }
  for (const line of (repo.read('.tool-versions') ?? '').split('\n')) {
    const tool = line.trim().split(/\s+/)[0]
    const name = tool ? (toolNames[tool] ?? tool) : ''
    if (name in runtimeFiles) note(name, '.tool-versions')
  }
  for (const file of ['mise.toml', '.mise.toml']) {
    const tools = /\[tools\]([\s\S]*?)(?:\n\[|$)/.exec(repo.read(file) ?? '')?.[1] ?? ''
    for (const match of tools.matchAll(/^\s*"?([a-z]+)"?\s*=/gm)) {
      const name = toolNames[match[1]!] ?? match[1]!
      if (name in runtimeFiles) note(name, file)
    }
  }
  const pkg = repo.json('package.json')
  for (const source of ['engines', 'volta'] as const) {
    const pins = pkg?.[source] as Record<string, string> | undefined
    if (pins?.node) note('node', `package.json ${source}.node`)
  }
  const steps = [...why].map(([name, files]) => ({
    slot: `runtime:${name}`,
    type: 'runtime',
    config: name,
    why: unique(files).join(', '),
  }))
  // go.mod's `go 1.22` is the minimum toolchain the module builds with.
  const goDirective = /^go\s+(\d+\.\d+)/m.exec(repo.read('go.mod') ?? '')?.[1]
  if (!why.has('go') && goDirective) {
    steps.push({
      slot: 'runtime:go',
      type: 'runtime',
      config: { name: 'go', version: `>=${goDirective}` } as never,
      why: `go.mod (go ${goDirective})`,
    })
  }
  return steps
}

function detectRestart(repo: RepoProbe): DetectedStep | undefined {
  if (repo.has('tmp/restart.txt'))
    return { slot: 'restart', type: 'restart', config: { touch: 'tmp/restart.txt' }, why: 'tmp/restart.txt' }
  const procfile = repo.first(['Procfile', 'Procfile.dev'])
  if (!procfile) return undefined
  const web = /^web:\s*(.+)$/m.exec(repo.read(procfile) ?? '')?.[1]?.trim()
  // Puma and Passenger restart when tmp/restart.txt is touched: the Rails convention.
  if (!web || /\b(rails|puma|passenger)\b/.test(web) || repo.has('config/application.rb'))
    return {
      slot: 'restart',
      type: 'restart',
      config: { touch: 'tmp/restart.txt' },
      why: `${procfile} (Rails)`,
    }
  // Started detached by devsetup when it is not running, restarted after changes.
  return { slot: 'restart', type: 'restart', config: { start: web }, why: `${procfile} (web: ${web})` }
}

function sameEcosystem(a: string, b: string): boolean {
  const node = ['npm', 'pnpm', 'yarn', 'bun']
  const python = ['pip', 'uv', 'poetry', 'python']
  return a === b || (node.includes(a) && node.includes(b)) || (python.includes(a) && python.includes(b))
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
