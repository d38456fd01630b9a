// The app's dev server, started in the foreground by the restart step and checked on the
// port it listens on, and a build step when the server serves built assets. Each is written
// only when the repository calls for it.
import type { DetectedStep } from './detect.js'
import type { EnvExample } from './env-example.js'
import { nodeRunner } from './node-database.js'
import type { RepoProbe } from './repo.js'

// Watchers and dev modes first; `start:prod` and friends need a build and serve production.
const devScripts = [
  'dev',
  'start:dev',
  'develop',
  'dev:server',
  'server:dev',
  'start:development',
  'serve',
  'start',
]
const portKeys = ['PORT', 'APP_PORT', 'SERVER_PORT', 'HTTP_PORT', 'API_PORT', 'WEB_PORT', 'NODE_PORT']
const frameworkPorts: [string, number][] = [
  ['@nestjs/core', 3000],
  ['next', 3000],
  ['nuxt', 3000],
  ['@remix-run/dev', 3000],
  ['astro', 4321],
  ['vite', 5173],
  ['express', 3000],
  ['fastify', 3000],
  ['koa', 3000],
]
const builtOutput = /\b(dist|build|\.next|out|\.output)\b|next start|nuxt start|serve -s/

export function detectDevServer(repo: RepoProbe, example: EnvExample | undefined): DetectedStep[] {
  if (repo.has('config/application.rb')) return rails(repo)
  if (repo.has('manage.py')) return django(repo)
  const scripts = repo.nodeScripts()
  const name = devScripts.find((n) => scripts[n] !== undefined)
  if (!name) return []
  const runner = nodeRunner(repo)
  const start = name === 'start' && runner === 'npm run' ? 'npm start' : `${runner} ${name}`
  const steps: DetectedStep[] = []
  const script = scripts[name]!
  // A start that runs the built app (`node dist/main`, `next start`) needs `build` first.
  if (scripts.build && (name === 'start' || name === 'serve') && builtOutput.test(script)) {
    const output = builtOutput.exec(script)?.[0]
    steps.push(buildStep(repo, runner, output === 'next start' ? '.next' : (output ?? 'dist')))
  }
  const port = serverPort(repo, example, script)
  const config: Record<string, unknown> = { start }
  if (port) {
    config.health = `http://127.0.0.1:${port.port}/`
    // A TypeScript compile on a busy laptop can take longer than the default 30s.
    config.health_timeout = '2m'
  }
  steps.push({
    slot: 'restart',
    type: 'restart',
    config,
    why: `package.json scripts.${name}${port ? `, port ${port.port} from ${port.why}` : ''}`,
  })
  return steps
}

function buildStep(repo: RepoProbe, runner: string, output: string): DetectedStep {
  const sources = ['src', 'app', 'pages', 'lib', 'server', 'client', 'public'].filter((d) => repo.isDir(d))
  const lock = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'].find((f) => repo.has(f))
  const inputs = [...sources.map((d) => `${d}/**`), 'package.json', ...(lock ? [lock] : [])]
  return {
    slot: 'run: Build',
    type: 'run',
    config: undefined,
    flat: { name: 'Build', run: `${runner} build`, creates: output, inputs },
    why: `the start script serves the build (${output})`,
  }
}

function serverPort(
  repo: RepoProbe,
  example: EnvExample | undefined,
  script: string,
): { port: number; why: string } | undefined {
  const key = portKeys.find((k) => /^\d+$/.test(example?.vars[k] ?? ''))
  if (key && example) return { port: Number(example.vars[key]), why: `${key} in ${example.file}` }
  const flag = /(?:--port[= ]|-p |PORT=)(\d{2,5})\b/.exec(script)?.[1]
  if (flag) return { port: Number(flag), why: 'the script' }
  // The file the script runs (`nodemon src/index.js`, else package.json main): `PORT || 5000`.
  const main =
    /\b([\w./-]+\.[cm]?[jt]s)\b/.exec(script)?.[1] ?? (repo.json('package.json')?.main as string | undefined)
  const source = main ? (repo.read(main) ?? '') : ''
  const inSource =
    /PORT\s*(?:\|\||\?\?|:-)\s*['"]?(\d{2,5})\b/.exec(source)?.[1] ??
    /\.listen\(\s*(\d{2,5})\b/.exec(source)?.[1]
  if (inSource) return { port: Number(inSource), why: main! }
  const deps = repo.nodeDependencies()
  const framework = frameworkPorts.find(([dep]) => deps[dep] !== undefined)
  return framework ? { port: framework[1], why: `${framework[0]}'s default` } : undefined
}

function rails(repo: RepoProbe): DetectedStep[] {
  const routes = repo.read('config/routes.rb') ?? ''
  const path = routes.includes('rails/health#show') ? 'up' : ''
  return [
    {
      slot: 'restart',
      type: 'restart',
      config: { start: 'bin/rails server -b 127.0.0.1 -p 3000', health: `http://127.0.0.1:3000/${path}` },
      why: 'Rails (bin/rails server, port 3000)',
    },
  ]
}

function django(repo: RepoProbe): DetectedStep[] {
  const python = repo.has('uv.lock')
    ? 'uv run python'
    : repo.has('poetry.lock')
      ? 'poetry run python'
      : '.venv/bin/python'
  return [
    {
      slot: 'restart',
      type: 'restart',
      config: { start: `${python} manage.py runserver 127.0.0.1:8000`, health: 'http://127.0.0.1:8000/' },
      why: 'Django (manage.py runserver, port 8000)',
    },
  ]
}
