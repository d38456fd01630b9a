// Lockfiles, and manifests of ecosystems without one (plain `npm install`): one `dependencies`
// step, whose managers the step detects itself at run time.
import { defineProvider } from '../provider.js'

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

export const dependencies = defineProvider({
  name: 'dependencies',
  detect: ({ repo }) => [...Object.keys(lockfiles), ...Object.keys(manifests)].some((f) => repo.has(f)),
  contribute({ repo }) {
    const locked = Object.entries(lockfiles).filter(([file]) => repo.has(file))
    const unlocked = Object.entries(manifests).filter(
      ([file, ecosystem]) => repo.has(file) && !locked.some(([, m]) => sameEcosystem(m, ecosystem)),
    )
    const files = [...locked, ...unlocked].map(([file]) => file)
    return {
      steps: [{ slot: 'dependencies', type: 'dependencies', config: undefined, why: files.join(', ') }],
    }
  },
})

function sameEcosystem(a: string, b: string): boolean {
  const node = ['npm', 'pnpm', 'yarn', 'bun']
  const python = ['pip', 'uv', 'poetry', 'python']
  return a === b || (node.includes(a) && node.includes(b)) || (python.includes(a) && python.includes(b))
}
