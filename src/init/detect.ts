// What `devsetup init` recognises in a repository, and why: every provider that detects itself
// contributes (providers/index.ts, in order); this file joins their answers into one plan.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { buildBeforeMigrate } from './build-first.js'
import { assembleDatabase } from './database.js'
import { type EnvExample, findEnvExample } from './env-example.js'
import { optIntoGuards } from './env-guards.js'
import { setOwnUrls } from './env-urls.js'
import type { DatabaseCommands, DatabaseSource, DetectedStep, InitContext } from './provider.js'
import { providers } from './providers/index.js'
import { RepoProbe } from './repo.js'
import { databaseUrlFromServerFiles } from './server-env-database.js'
import { followEnvFiles } from './server-env-files.js'
import { appFolders, joinFolders, manifests } from './subfolders.js'
import { missingServerStep, webAppSign } from './web-app.js'
import { memberMigrate } from './workspace-members.js'

export type { DetectedStep } from './provider.js'

export interface Detection {
  steps: DetectedStep[]
  /** Recipe-level env (DATABASE_URL with the example's value as default). */
  env: Record<string, string>
  /** Where an env value comes from, written as the comment above its key (`docker-compose.yml:40`). */
  envWhy?: Record<string, string>
  /** Things seen but not turned into a step, shown to the user. */
  notes: string[]
  /**
   * The app reads split DB_* variables, not DATABASE_URL, or the database step reads .env's keys
   * itself: a template's env.DATABASE_URL (a literal that would shadow .env) is dropped.
   */
  dropEnvUrl?: boolean
  /** Values the server's own env files give (DATABASE_URL in configs/.env): what a `${KEY}` in the recipe reads there. */
  serverEnv?: Record<string, string>
  /** The providers that detected themselves, in order. */
  providers: string[]
  /** The repository's example env file, found once for everything that reads it after detection. */
  example?: EnvExample | undefined
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

export interface DetectOptions {
  /** Whether a Docker engine runs here; defaults to asking this machine. */
  dockerRuns?: () => boolean
}

export function detect(root: string, options: DetectOptions = {}): Detection {
  const repo = new RepoProbe(root)
  if (!manifests.some((file) => repo.has(file))) {
    const folders = appFolders(repo)
    if (folders.length > 0)
      return {
        ...joinFolders(
          repo,
          folders.map((folder) => ({ folder, detection: detectHere(path.join(root, folder), options) })),
        ),
        example: findEnvExample(repo),
      }
  }
  return detectHere(root, options)
}

/** The providers' answer for an app whose root is `root`. */
function detectHere(root: string, options: DetectOptions): Detection {
  const repo = new RepoProbe(root)
  const ctx: InitContext = {
    repo,
    example: findEnvExample(repo),
    dockerRuns: options.dockerRuns ?? dockerRuns,
  }
  const detection: Detection = { steps: [], env: {}, notes: [], providers: [], example: ctx.example }
  const sources: DatabaseSource[] = []
  let commands: DatabaseCommands | undefined
  let devServer: DetectedStep[] | undefined
  let ownsDatabase: string | undefined
  for (const provider of providers) {
    if (!provider.detect(ctx)) continue
    const contribution = provider.contribute(ctx)
    detection.providers.push(provider.name)
    for (const step of contribution.steps ?? []) addStep(detection.steps, step)
    detection.notes.push(...(contribution.notes ?? []))
    if (contribution.database) sources.push(contribution.database)
    commands ??= contribution.databaseCommands
    devServer ??= contribution.devServer
    ownsDatabase ??= contribution.ownsDatabase
  }

  if (ownsDatabase && sources.length > 0)
    detection.notes.push(
      `no \`database\` step: ${ownsDatabase}; not used: ${sources.map((s) => s.why).join(', ')}`,
    )
  // No provider knows how the database is migrated: a workspace member's migrate script may.
  const member = commands?.migrate || commands?.load ? undefined : memberMigrate(repo)
  if (member) commands = { ...commands, ...member.commands }
  const database = ownsDatabase
    ? undefined
    : assembleDatabase(repo, sources, commands ?? {}, ctx.example?.file)
  if (database) detection.notes.push(...database.notes)
  else if (!ownsDatabase && sources.length === 0) detection.notes.push(...unreadDatabase(repo))
  if (member && database?.step) detection.notes.push(member.note)
  if (database?.step) {
    if (database.splitVars || database.fromFile) detection.dropEnvUrl = true
    // The database goes before the steps that use it (cleanup, run, restart).
    const at = detection.steps.findIndex(
      (s) => typeOrder.indexOf(s.orderAs ?? s.type) > typeOrder.indexOf('database'),
    )
    detection.steps.splice(at === -1 ? detection.steps.length : at, 0, database.step)
    Object.assign(detection.env, database.env)
    // Values this machine needs (a compose host → 127.0.0.1); a person's own values are kept.
    const dotenv = detection.steps.find((s) => s.type === 'dotenv')
    if (dotenv && Object.keys(database.set).length > 0) {
      const config = dotenv.config as { set?: Record<string, string> }
      dotenv.config = { ...config, set: { ...config.set, ...database.set } }
    }
  }
  detection.steps.push(...(devServer ?? []))
  followEnvFiles(repo, detection.steps)
  detection.notes.push(...databaseUrlFromServerFiles(repo, detection))
  buildBeforeMigrate(repo, detection.steps)
  detection.notes.push(...optIntoGuards(repo, detection.steps, ctx.example?.vars ?? {}))
  detection.notes.push(...setOwnUrls(repo, detection.steps, ctx.example))
  cleanAfterChanges(detection.steps)
  const web = devServer ? undefined : webAppSign(repo)
  if (web) {
    // Said first: the one thing the person must add by hand.
    detection.notes.unshift(
      `no dev server found, yet ${web}: the recipe ends with a step that stays unmet until you write one`,
    )
    detection.steps.push(missingServerStep(web))
  }
  return detection
}

/** A cleanup of the app's own log and cache runs when the installs or the database changed. */
function cleanAfterChanges(steps: DetectedStep[]): void {
  const cleanup = steps.find((s) => s.type === 'cleanup')
  const after = ['dependencies', 'database'].filter((type) => steps.some((s) => s.slot === type))
  if (!cleanup || after.length === 0) return
  cleanup.flat = { cleanup: cleanup.config, when_changed: after }
}

/** One step per slot: a second contribution to it (a Brewfile and native gems' packages) joins the first. */
function addStep(steps: DetectedStep[], step: DetectedStep): void {
  const same = steps.find((s) => s.slot === step.slot)
  const mergeable = (c: unknown) => typeof c === 'object' && c !== null && !Array.isArray(c)
  if (!same || !mergeable(same.config) || !mergeable(step.config)) return void steps.push(step)
  same.config = { ...(same.config as object), ...(step.config as object) }
  same.why = `${same.why}; ${step.why}`
}

/** The docker CLI alone is no engine (a CI image or a laptop without Docker Desktop running has it). */
function dockerRuns(): boolean {
  const cli = (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && existsSync(path.join(dir, 'docker')))
  return cli && (Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock'))
}

// Database clients an app depends on: with none of its configuration read, init says so rather
// than writing a recipe that is silent about the database (lin-cms-koa builds its Sequelize from
// its own config library: no step, and until then no word either).
const databaseClients = [
  'sequelize',
  'typeorm',
  'knex',
  'kysely',
  'drizzle-orm',
  '@mikro-orm/core',
  'pg',
  'mysql2',
  'mysql',
  'sqlite3',
  'better-sqlite3',
]

function unreadDatabase(repo: RepoProbe): string[] {
  const deps = repo.nodeDependencies()
  const used = databaseClients.filter((name) => deps[name] !== undefined)
  if (used.length === 0) return []
  return [
    `database: the app depends on ${used.join(', ')} (package.json), but init found no database settings it could read: if it needs a database, add \`service:\` and \`database:\` steps with its URL (\`devsetup add database\`)`,
  ]
}
