// The language runtimes a repository pins: version files (.nvmrc, .ruby-version, ...),
// .tool-versions, mise.toml, package.json engines/volta, go.mod's `go` directive.
import { lockfileNode } from '../node-engines.js'
import { type DetectedStep, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

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

export const runtimes = defineProvider({
  name: 'runtimes',
  detect: () => true,
  contribute: ({ repo }) => ({ steps: detectRuntimes(repo) }),
})

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
  // The Gemfile's `ruby "3.1.2"` (or `ruby file: ".ruby-version"`): Bundler refuses another Ruby.
  if (/^\s*ruby[\s(]/m.test(repo.read('Gemfile') ?? '')) note('ruby', 'Gemfile ruby line')
  const pkg = repo.json('package.json')
  for (const source of ['engines', 'volta'] as const) {
    const pins = pkg?.[source] as Record<string, string> | undefined
    if (pins?.node) note('node', `package.json ${source}.node`)
  }
  // corepack runs a pnpm or yarn release in the node it finds, and a release may need a newer
  // one than the machine's (pnpm 11: node >= 22.13). The runtime step reads that release's
  // engines.node from the registry at `up` (src/steps/runtime/manager-engines.ts): init reads
  // no network, and writes the step that asks.
  const manager =
    typeof pkg?.packageManager === 'string' ? /^(pnpm|yarn)@[^+\s]+/.exec(pkg.packageManager) : null
  if (manager)
    note(
      'node',
      `package.json packageManager (${manager[0]}: the node it needs, from the registry at \`up\`)`,
    )
  // The lockfile's dependencies may need a newer node than the app's own pin (node-engines.ts).
  const fromLock = repo.has('package.json') ? lockfileNode(repo) : undefined
  if (fromLock) note('node', fromLock.why)
  const steps: DetectedStep[] = [...why].map(([name, files]) => ({
    slot: `runtime:${name}`,
    type: 'runtime',
    config: name === 'node' && fromLock?.version ? { name, version: fromLock.version } : name,
    why: [...new Set(files)].join(', '),
  }))
  // go.mod's `go 1.22` is the minimum toolchain the module builds with.
  const goDirective = /^go\s+(\d+\.\d+)/m.exec(repo.read('go.mod') ?? '')?.[1]
  if (!why.has('go') && goDirective) {
    steps.push({
      slot: 'runtime:go',
      type: 'runtime',
      config: { name: 'go', version: `>=${goDirective}` },
      why: `go.mod (go ${goDirective})`,
    })
  }
  return steps
}
