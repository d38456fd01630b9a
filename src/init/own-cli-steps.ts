// The steps for an app whose own CLI sets it up and starts it (own-cli.ts reads that CLI): its
// setup, answered from the environment variables it reads, once (until the config file it writes
// exists), and its daemonizing start with the pidfile it writes. No dependencies step: such a CLI
// installs the app's packages itself (NodeBB copies install/package.json to the root and runs npm).
import { composeRunningRedis } from './detect-services.js'
import { healthRouteAt, routeWhere } from './health-route.js'
import { findOwnCli, type OwnCli, where } from './own-cli.js'
import { setupCheck, setupKeys } from './own-cli-data.js'
import type { Contribution, DetectedStep } from './provider.js'
import type { RepoProbe } from './repo.js'
import { rootTemplate } from './subfolders.js'

export function ownCliSteps(repo: RepoProbe): Contribution | undefined {
  const own = findOwnCli(repo)
  if (!own) return undefined
  const cli = `./${own.cli}`
  const notes: string[] = []
  const unknown: string[] = []
  const port = own.port?.port
  if (own.port) notes.push(`port ${own.port.port}: the default in ${where(own.port.at)}`)
  else unknown.push('the port it listens on')
  const { env, shell } = setupEnv(repo, own, port, notes, unknown)
  const setup: Record<string, unknown> = { name: 'App setup', run: `${shell}${cli} setup` }
  if (Object.keys(env).length > 0) setup.env = env
  if (env[own.env.find((e) => e.role === 'db')?.name ?? ''] !== undefined) {
    // Its data lives in the Redis its setup was given: an emptied one (FLUSHALL, a new server)
    // answers /ping as before while the app has no admin and no content. Asked of Redis itself.
    const { check, note } = setupCheck(setupKeys(repo, own), own.config?.file)
    setup.check = check
    notes.push(note)
  }
  // Its setup installs the packages: npm's own record of a finished install says they are there
  // (a removed node_modules runs the setup again, which installs them; no dependencies step).
  const installed = own.installs ? ['node_modules/.package-lock.json'] : []
  if (own.config) {
    const creates = [own.config.file, ...installed]
    setup.creates = creates.length === 1 ? creates[0] : creates
    notes.push(`${own.config.file}: what \`${cli} setup\` writes (${where(own.config.at)}, kept out of git)`)
  } else {
    if (installed.length > 0) setup.creates = installed[0]
    setup.inputs = [own.cli]
    unknown.push('the config file its setup writes (the step runs again when the CLI changes)')
  }
  const steps: DetectedStep[] = [
    ...templateNode(repo, cli),
    {
      slot: 'run: App setup',
      type: 'run',
      config: undefined,
      flat: setup,
      why: `the app's own CLI: \`${cli} setup\` (${where(own.setup)})${own.installs ? `, which installs the packages itself (${where(own.installs)})` : ''}`,
    },
  ]
  const restart: Record<string, unknown> = { start: `${cli} start` }
  if (own.pidfile) {
    restart.pidfile = own.pidfile.file
    notes.push(`pidfile ${own.pidfile.file}: written by \`${cli} start\` (${where(own.pidfile.at)})`)
  } else unknown.push(`the pidfile \`${cli} start\` writes (add \`pidfile:\` if it daemonizes)`)
  if (own.log) {
    // A daemon's output is not the start's: a failure report quotes the file it really writes.
    restart.app_log = own.log.file
    const setting = own.log.byDefault ? ', its default when its settings name no other' : ''
    notes.push(`app_log ${own.log.file}: where its server writes its output (${where(own.log.at)}${setting})`)
  }
  if (port) {
    const health = healthRouteAt(repo, appFiles(repo, own))
    restart.health = `http://127.0.0.1:${port}${health?.route ?? '/'}`
    restart.health_timeout = '2m'
    if (health) notes.push(`health route ${health.route}: ${routeWhere(health)}`)
  }
  if (unknown.length > 0) notes.push(`could not determine ${unknown.join('; ')}`)
  const dbVar = own.env.find((e) => e.role === 'db')
  return {
    steps,
    ...(dbVar && env[dbVar.name]
      ? { ownsDatabase: `\`${cli} setup\` sets up its own database (${dbVar.name}, ${where(dbVar.at)})` }
      : {}),
    devServer: [
      {
        slot: 'restart',
        type: 'restart',
        config: restart,
        why: `the app's own CLI: \`${cli} start\` (${where(own.start)})`,
      },
    ],
    notes,
  }
}

/** The values its setup reads from the environment, from what init knows; a person's own values win. */
function setupEnv(
  repo: RepoProbe,
  own: OwnCli,
  port: number | undefined,
  notes: string[],
  unknown: string[],
): { env: Record<string, string>; shell: string } {
  const env: Record<string, string> = {}
  let shell = ''
  const db = redisService(repo, own)
  const values: Record<string, string | undefined> = {
    url: port ? `http://127.0.0.1:${port}` : undefined,
    port: port ? String(port) : undefined,
    'admin-user': 'admin',
    'admin-email': 'admin@example.com',
    // A local development admin; a person sets their own in the shell.
    'admin-password': `devsetup-local-${own.cli}-admin`,
    db: db ? 'redis' : undefined,
    'db-host': db ? '127.0.0.1' : undefined,
    'db-port': db ? '6379' : undefined,
  }
  for (const { name, role, at } of own.env) {
    if (role === 'db-port' && db) {
      // devsetup's Redis service picks a port of its own and gives the later steps REDIS_URL; a
      // Redis already on this machine is on 6379. Read when the step runs; a person's own value wins.
      shell = `${name}="$\${${name}:-$(node -p "new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379').port || 6379")}" `
      notes.push(
        `${name} (read at ${where(at)}): the port of REDIS_URL (devsetup's Redis service), else 6379`,
      )
      continue
    }
    const value = values[role]
    if (value === undefined) {
      unknown.push(`a value for ${name} (${where(at)})`)
      continue
    }
    env[name] = `\${${name}:-${value}}`
    notes.push(
      `${name} (read at ${where(at)}): ${role === 'admin-password' ? 'a local admin password; set it in your shell to choose yours' : value}`,
    )
  }
  return { env, shell }
}

/** Redis, when the repository's compose file runs it and the CLI's code speaks of it. */
function redisService(repo: RepoProbe, own: OwnCli): boolean {
  return (
    composeRunningRedis(repo) !== undefined &&
    own.files.some((f) => /['"`]redis['"`]/.test(repo.read(f) ?? ''))
  )
}

/** The app's code to find its health route in: what the CLI loads, then its sources, not a package template's folder. */
function appFiles(repo: RepoProbe, own: OwnCli): string[] {
  const templates = packageTemplates(repo)
  const outside = (file: string) => !templates.some((t) => file.startsWith(`${t}/`))
  return [...new Set([...own.files, ...repo.sourceFiles()])].filter(outside)
}

/**
 * The node the package.json template asks for (NodeBB's install/package.json, which its setup
 * copies to the root): the runtime step reads that file, and at `up` also what its exact pins
 * need from the registry (src/steps/runtime/dependency-engines.ts: NodeBB pins an undici that
 * needs a newer node than its own engines say).
 */
function templateNode(repo: RepoProbe, cli: string): DetectedStep[] {
  const template = packageTemplates(repo)[0]
  const file = `${template}/package.json`
  const pkg = template ? (repo.json(file) as { engines?: { node?: unknown } } | undefined) : undefined
  if (typeof pkg?.engines?.node !== 'string') return []
  return [
    {
      slot: 'runtime:node',
      type: 'runtime',
      config: { name: 'node', version: `file:${file}` },
      why: `${file} engines.node (${pkg.engines.node}): the package.json \`${cli} setup\` copies to the root; at \`up\` also what its exact pins need (the registry)`,
    },
  ]
}

/** Folders at the root holding a package.json the app copies to the root (NodeBB's install/). */
const packageTemplates = (repo: RepoProbe) =>
  repo.list('.').filter((f) => repo.isDir(f) && rootTemplate(repo, f))
