// A Node app: its own package scripts, under the names it really uses — migrate and seed
// scripts (which know the project's flags, env loading and paths better than a generic CLI),
// and the dev server (`dev`, `start:dev`, ... before `start`), on the port its example env,
// script, entry file or framework says. The ORM providers (prisma, knex, ...) use
// `withPackageScripts` for their commands, so a project's script wins over their CLI.
import { buildInputs } from '../build-inputs.js'
import { serverOfChain } from '../dev-chain.js'
import { type EnvExample, whereIn } from '../env-example.js'
import { healthRouteWithWhy, healthUrl, type ServerPort } from '../health-route.js'
import { type DatabaseCommands, type DetectedStep, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

export const node = defineProvider({
  name: 'node',
  detect: ({ repo }) => repo.has('package.json'),
  contribute: ({ repo, example }) => {
    const databaseCommands = withPackageScripts(repo, {}, example)
    const devServer = nodeDevServer(repo, example)
    return {
      ...(Object.keys(databaseCommands).length > 0 ? { databaseCommands } : {}),
      ...(devServer.length > 0 ? { devServer } : {}),
    }
  },
})

export function nodeRunner(repo: RepoProbe): string {
  if (repo.has('pnpm-lock.yaml')) return 'pnpm'
  if (repo.has('yarn.lock')) return 'yarn'
  return repo.has('bun.lock') || repo.has('bun.lockb') ? 'bun run' : 'npm run'
}

const migrateScripts = [
  'db:migrate',
  'migrate',
  'migrate:latest',
  'migration:latest',
  'migration:run',
  'migrations:run',
  'typeorm:migration:run',
  'db:migrate:latest',
  'knex:migrate',
  'prisma:migrate',
]
const seedScripts = ['db:seed', 'seed', 'db:seed:all', 'seed:run', 'knex:seed', 'prisma:seed']

/** A tool's commands with the project's own migrate / seed scripts in their place; no seed without one. */
export function withPackageScripts(
  repo: RepoProbe,
  tool: DatabaseCommands,
  example: EnvExample | undefined,
): DatabaseCommands {
  const commands = { ...tool }
  const scripts = repo.nodeScripts()
  const runner = nodeRunner(repo)
  const migrate = migrateScripts.find((n) => scripts[n] !== undefined)
  if (migrate) commands.migrate = `${runner} ${migrate}`
  if (commands.migrate && !commands.migrations) {
    const dir = findMigrationsDir(repo)
    if (dir) commands.migrations = `${dir}/**`
  }
  const seeds = Object.keys(scripts).filter(
    (n) => seedScripts.includes(n) || /^(db:)?seeds?:run(:|$)/.test(n) || /^seed:(dev|development)$/.test(n),
  )
  // `seed:run:relational` and `seed:run:document`: the one that matches the env example chosen.
  const flavour = flavourOf(example)
  const seed =
    seeds.find((n) => flavour !== undefined && n.endsWith(flavour)) ??
    seeds.find((n) => !/:(test|prod)/.test(n))
  if (seed) commands.seed = `${runner} ${seed}`
  // No migration tool: the app builds its tables with its own script (`sequelize.sync()`, a
  // schema.sql). Written as `load`, which runs only on a database without tables: such a script
  // usually starts over (`sync({ force: true })`), so re-running it on every change would lose data.
  const setup = commands.migrate || commands.load ? undefined : Object.keys(scripts).find(isDbSetupScript)
  if (setup) commands.load = `${runner} ${setup}`
  return commands
}

/**
 * `setup-example-db`, `db:setup`, `db:init`, `setupdb`, `init-db`. Not `db:create`: it makes the
 * database, which the database step does itself, not the tables.
 */
function isDbSetupScript(name: string): boolean {
  if (/drop|reset|prod|test|seed|migrat/i.test(name)) return false
  return /^setup[\w:-]*db\b|^db:(setup|init)$|^(init|setup|create)[-:_]?(db|database)$|[\w-]+-db$/i.test(name)
}

/** `env-example-relational` → relational: picks `seed:run:relational` over `seed:run:document`. */
function flavourOf(example: EnvExample | undefined): string | undefined {
  return example
    ? /[-._]([a-z]+)$/.exec(example.file)?.[1]?.replace(/^(example|sample|template|dist)$/, '') || undefined
    : undefined
}

/** The folder holding migrations: src/database/migrations, migrations, db/migrations, ... */
export function findMigrationsDir(repo: RepoProbe): string | undefined {
  const known = [
    'migrations',
    'db/migrations',
    'src/migrations',
    'src/database/migrations',
    'src/db/migrations',
    'database/migrations',
    'server/migrations',
    'src/migration',
  ]
  const direct = known.find((d) => repo.isDir(d))
  if (direct) return direct
  // One level deeper under src/ (src/<module>/migrations).
  for (const dir of repo.list('src')) if (repo.isDir(`src/${dir}/migrations`)) return `src/${dir}/migrations`
  return undefined
}

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
// A script that runs the server under a watcher is the dev server whatever its name
// (`watch-server`: nodemon + ts-node), before `serve`/`start`, which often serve a build.
const watcher = /\b(nodemon|ts-node-dev|tsnd|tsx watch|node --watch|nest start --watch|babel-watch)\b/
const notServer = /test|lint|build|css|style|doc|storybook|e2e|spec|types?\b/i

function watcherScript(scripts: Record<string, string>): string | undefined {
  return Object.keys(scripts).find((n) => !notServer.test(n) && watcher.test(scripts[n]!))
}

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
const ownDefault = new Set(['next', 'nuxt', '@remix-run/dev', 'astro', 'vite'])
const readsPort = new Set(['next', 'nuxt'])
const builtOutput = /\b(dist|build|\.next|out|\.output)\b|next start|nuxt start|serve -s/

/** The restart step that runs the dev script, and a build first when the script serves the build. */
function nodeDevServer(repo: RepoProbe, example: EnvExample | undefined): DetectedStep[] {
  const scripts = repo.nodeScripts()
  const name =
    devScripts.slice(0, -2).find((n) => scripts[n] !== undefined) ??
    watcherScript(scripts) ??
    devScripts.slice(-2).find((n) => scripts[n] !== undefined)
  if (!name) return mainServer(repo, example)
  const runner = nodeRunner(repo)
  const script = scripts[name]!
  // A dev script that starts containers first (`docker compose up -d && next dev`): only its server.
  const server = serverOfChain(repo, script)
  const start = server ?? (name === 'start' && runner === 'npm run' ? 'npm start' : `${runner} ${name}`)
  const steps: DetectedStep[] = []
  // A start that runs the built app (`node dist/main`, `next start`) needs `build` first.
  if (scripts.build && (name === 'start' || name === 'serve') && builtOutput.test(script)) {
    const output = builtOutput.exec(script)?.[0]
    const built = output === 'next start' ? '.next' : (output ?? 'dist')
    steps.push(buildStep(repo, `${runner} build`, built, `the start script serves the build (${built})`))
  }
  const port = serverPort(repo, example, script)
  const config: Record<string, unknown> = { start }
  const health = port && healthRouteWithWhy(repo)
  if (port && health) {
    config.health = healthUrl(port, health.route)
    // A TypeScript compile on a busy laptop can take longer than the default 30s.
    config.health_timeout = '2m'
  }
  steps.push({
    slot: 'restart',
    type: 'restart',
    config,
    why: `package.json scripts.${name}${server ? ' (its server only: its first parts start containers, which the steps above replace)' : ''}${port && health ? `, port ${port.port} from ${port.why}${health.why}` : ''}`,
  })
  return steps
}

/** No dev script: package.json's `main` (or index.js / server.js / app.js) when it listens. */
function mainServer(repo: RepoProbe, example: EnvExample | undefined): DetectedStep[] {
  const main = [repo.json('package.json')?.main, 'index.js', 'server.js', 'app.js'].find(
    (f): f is string => typeof f === 'string' && /\.listen\(/.test(repo.read(f) ?? ''),
  )
  if (!main) return []
  const port = serverPort(repo, example, main)
  const config: Record<string, unknown> = { start: `node ${main}` }
  const health = port && healthRouteWithWhy(repo)
  if (port && health) config.health = healthUrl(port, health.route)
  const why = `${main} listens (no dev script in package.json)${port && health ? `, port ${port.port} from ${port.why}${health.why}` : ''}`
  return [{ slot: 'restart', type: 'restart', config, why }]
}

/** A `run` of the app's build that is a no-op while its output exists and what it reads is unchanged. */
export function buildStep(repo: RepoProbe, run: string, output: string, why: string): DetectedStep {
  return {
    slot: 'run: Build',
    type: 'run',
    config: undefined,
    flat: { name: 'Build', run, creates: output, inputs: buildInputs(repo, run, output) },
    why,
  }
}

function serverPort(
  repo: RepoProbe,
  example: EnvExample | undefined,
  script: string,
): (ServerPort & { why: string }) | undefined {
  // The .env the app loads holds it: a variable set in the shell wins over .env (dotenv's rule).
  const key = portKeys.find((k) => /^\d+$/.test(example?.vars[k] ?? ''))
  if (key && example) return { port: Number(example.vars[key]), variable: key, why: whereIn(example, [key]) }
  // Fixed by the script itself (`--port 4000`, `PORT=4000 node …`): nothing from outside moves it.
  const flag = /(?:--port[= ]|-p |PORT=)(\d{2,5})\b/.exec(script)?.[1]
  if (flag) return { port: Number(flag), why: 'the script' }
  // The file the script runs (`nodemon src/index.js`, else package.json main): `PORT || 5000`.
  const main =
    /\b([\w./-]+\.[cm]?[jt]s)\b/.exec(script)?.[1] ?? (repo.json('package.json')?.main as string | undefined)
  const source = main ? (repo.read(main) ?? '') : ''
  const fallback = /\b(\w*PORT)\s*(?:\|\||\?\?|:-)\s*['"]?(\d{2,5})\b/.exec(source)
  if (fallback) {
    const name = fallback[1]!
    // `process.env.PORT || 3000` reads the environment; `config.PORT || 3000` may not.
    const readsEnv = new RegExp(`\\benv\\.${name}\\b|\\benv\\[['"]${name}['"]\\]`).test(source)
    return { port: Number(fallback[2]), ...(readsEnv ? { variable: name } : {}), why: main! }
  }
  const inSource =
    // `const PORT = 8080` (seen in the app's entry file, not read from anywhere)
    /\bPORT\s*=\s*['"]?(\d{2,5})\b/.exec(source)?.[1] ?? /\.listen\(\s*(\d{2,5})\b/.exec(source)?.[1]
  if (inSource) return { port: Number(inSource), why: main! }
  const deps = repo.nodeDependencies()
  const framework = frameworkPorts.find(([dep]) => deps[dep] !== undefined)
  if (!framework) return undefined
  // Next, Nuxt, Remix, Astro and Vite listen there by themselves; Express, Koa, Fastify, Nest take
  // the port the app passes to listen(): 3000 is only their habit, and init says so.
  const why = ownDefault.has(framework[0])
    ? `${framework[0]}'s default`
    : `the usual port of ${framework[0]} apps: nothing in the repository names one`
  // Next's and Nuxt's dev servers take PORT from the environment.
  return { port: framework[1], ...(readsPort.has(framework[0]) ? { variable: 'PORT' } : {}), why }
}
