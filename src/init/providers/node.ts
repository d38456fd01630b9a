// A Node app: its own package scripts, under the names it really uses — migrate and seed
// scripts (which know the project's flags, env loading and paths better than a generic CLI),
// and the dev server (`dev`, `start:dev`, ... before `start`), health-checked on the port its
// server's own code and env files say (server-port.ts), or with no `health:` when none is found. The ORM providers (prisma, knex, ...) use
// `withPackageScripts` for their commands, so a project's script wins over their CLI.
import { buildInputs } from '../build-inputs.js'
import { composeHealthRoute } from '../compose-app.js'
import { serverOfChain } from '../dev-chain.js'
import type { EnvExample } from '../env-example.js'
import { healthRouteWithWhy, healthUrl } from '../health-route.js'
import { devScriptName, findMigrationsDir, migrateScriptName, nodeRunner } from '../node-scripts.js'
import { type DatabaseCommands, type DetectedStep, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'
import { type PortFinding, serverPort } from '../server-port.js'
import { nodeFrameworks } from '../web-app.js'
import { runInMember, serverMember } from '../workspace-members.js'

// Read by the ORM providers and the build step with the rest of this file's package-script rules.
export { findMigrationsDir, nodeRunner } from '../node-scripts.js'

export const node = defineProvider({
  name: 'node',
  detect: ({ repo }) => repo.has('package.json'),
  contribute: ({ repo, example }) => {
    const databaseCommands = withPackageScripts(repo, {}, example)
    const { steps: devServer, notes } = nodeDevServer(repo, example)
    return {
      ...(Object.keys(databaseCommands).length > 0 ? { databaseCommands } : {}),
      ...(devServer.length > 0 ? { devServer } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    }
  },
})

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
  const migrate = migrateScriptName(scripts)
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

const builtOutput = /\b(dist|build|\.next|out|\.output)\b|next start|nuxt start|serve -s/

/** The restart step that runs the dev script, and a build first when the script serves the build. */
function nodeDevServer(
  repo: RepoProbe,
  example: EnvExample | undefined,
): { steps: DetectedStep[]; notes: string[] } {
  const scripts = repo.nodeScripts()
  const name = devScriptName(scripts)
  if (!name) {
    const main = mainServer(repo, example)
    return main.steps.length > 0 ? main : memberDevServer(repo, example)
  }
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
  const restart = restartStep(repo, start, serverPort(repo, example, script), true)
  const chain = server
    ? ' (its server only: its first parts start containers, which the steps above replace)'
    : ''
  steps.push({ ...restart.step, why: `package.json scripts.${name}${chain}${restart.step.why}` })
  return { steps, notes: restart.notes }
}

/** No dev script: package.json's `main` (or index.js / server.js / app.js) when it listens. */
function mainServer(
  repo: RepoProbe,
  example: EnvExample | undefined,
): { steps: DetectedStep[]; notes: string[] } {
  const main = [repo.json('package.json')?.main, 'index.js', 'server.js', 'app.js'].find(
    (f): f is string => typeof f === 'string' && /\.listen\(/.test(repo.read(f) ?? ''),
  )
  if (!main) return { steps: [], notes: [] }
  const restart = restartStep(repo, `node ${main}`, serverPort(repo, example, `node ${main}`), false)
  return {
    steps: [{ ...restart.step, why: `${main} listens (no dev script in package.json)${restart.step.why}` }],
    notes: restart.notes,
  }
}

/** A workspaces root with neither: a member's dev script (workspace-members.ts), run from the root. */
function memberDevServer(
  repo: RepoProbe,
  example: EnvExample | undefined,
): { steps: DetectedStep[]; notes: string[] } {
  const found = serverMember(repo, nodeFrameworks)
  if (!found) return { steps: [], notes: [] }
  const start = runInMember(repo, found.member, found.script)
  // The runner command itself: serverPort follows it into the member, as it does `turbo dev`.
  const restart = restartStep(repo, start, serverPort(repo, example, start), true)
  return { steps: [{ ...restart.step, why: `${found.why}${restart.step.why}` }], notes: restart.notes }
}

/**
 * The restart with `health:` on the port found — `${VAR:-value}` when the app reads it from VAR,
 * the value being what its env files (or its code's fallback) give —; without `health:` when none
 * was found: `up` then waits until the server listens and says on which port, never a guessed one.
 */
function restartStep(
  repo: RepoProbe,
  start: string,
  port: PortFinding,
  slowCompile: boolean,
): { step: DetectedStep; notes: string[] } {
  const config: Record<string, unknown> = { start }
  if (!('port' in port)) {
    const note = `port: could not determine the port of \`${start}\` (looked at ${port.looked.join('; ')}); \`up\` waits until the server listens and says which port`
    return {
      step: {
        slot: 'restart',
        type: 'restart',
        config,
        why: ', port not determined (no `health:`): `up` waits until it listens and says which port',
      },
      notes: [note],
    }
  }
  const found = port.route ?? healthRouteWithWhy(repo)
  const health =
    found.route === '/' && port.health
      ? { route: port.health, why: `, health route ${port.health} (the framework's)` }
      : found.route === '/'
        ? (composeHealthRoute(repo, port) ?? found)
        : found
  config.health = healthUrl(port, health.route)
  // A TypeScript compile on a busy laptop can take longer than the default 30s.
  if (slowCompile) config.health_timeout = '2m'
  return {
    step: {
      slot: 'restart',
      type: 'restart',
      config,
      why: `, port ${port.port} from ${port.why}${health.why}`,
    },
    notes: [],
  }
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
