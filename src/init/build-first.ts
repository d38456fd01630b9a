// A migrate that needs the app built first: its migrations or config require files under a
// gitignored build folder (`path.join(process.cwd(), 'build', 'server/scripts/…')`, TypeORM's
// `migrations: ['dist/migrations/*.js']`), which a package script produces (`build:server`,
// `build`). On a fresh clone that folder does not exist, so migrate fails halfway. The build
// runs before the database step, as a `run` with `creates:` and `inputs:`: a no-op on re-run.
import type { DetectedStep } from './provider.js'
import { buildStep, nodeRunner } from './providers/node.js'
import type { RepoProbe } from './repo.js'
import { scriptFiles } from './script-files.js'

const configFiles = [
  '.sequelizerc',
  'knexfile.js',
  'knexfile.ts',
  'knexfile.cjs',
  'knexfile.mjs',
  'ormconfig.js',
  'ormconfig.json',
  'ormconfig.ts',
]
// Ignored folders that are never a build's output.
const notBuilt = new Set(['node_modules', 'tmp', 'temp', 'log', 'logs', 'coverage', '.env'])

/** Places the build the database step's commands need first before it (init prints the step's why). */
export function buildBeforeMigrate(repo: RepoProbe, steps: DetectedStep[]): void {
  const database = steps.find((s) => s.type === 'database')
  const config = (database?.config ?? {}) as Record<string, string | undefined>
  const command = config.migrate ?? config.load
  if (!database || !command) return
  const folders = ignoredFolders(repo)
  if (folders.length === 0) return
  const read = [
    ...migrationFiles(repo, config.migrations),
    ...scriptFiles(repo, command).files,
    ...configFiles,
  ]
  for (const file of read) {
    const text = repo.read(file)
    if (!text) continue
    for (const folder of folders) {
      const needed = referenceTo(text, folder)
      if (!needed) continue
      const producer = producerOf(repo, folder, needed.sub)
      if (!producer) continue
      const output = needed.sub ? `${folder}/${needed.sub}` : folder
      const line = text.slice(0, needed.at).split('\n').length
      const run = `${nodeRunner(repo)} ${producer}`
      const why = `${file}:${line} needs ${output}/, which \`${run}\` builds (gitignored): built before the database step`
      // The dev server's own build (the same command) moves before the database instead of running twice.
      const same = steps.find((s) => s.flat?.run === run)
      const step = same ?? buildStep(repo, run, output, why)
      step.orderAs = 'service'
      if (same) steps.splice(steps.indexOf(same), 1)
      steps.splice(steps.indexOf(database), 0, step)
      return
    }
  }
}

/** Folders .gitignore names plainly (`build`, `/dist/`), not patterns; `anywhere` unless anchored by a leading `/`. */
function ignoredEntries(repo: RepoProbe): { name: string; anywhere: boolean }[] {
  return (repo.read('.gitignore') ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .map((l) => ({ name: l.replace(/^\//, '').replace(/\/$/, ''), anywhere: !l.startsWith('/') }))
    .filter(({ name }) => /^[\w.-]+$/.test(name) && !notBuilt.has(name) && !name.startsWith('.env'))
}

function ignoredFolders(repo: RepoProbe): string[] {
  return ignoredEntries(repo).map((e) => e.name)
}

/** A repository path inside a folder .gitignore names (at its depth), so a fresh clone lacks it. */
export function inIgnoredFolder(repo: RepoProbe, file: string): boolean {
  const parts = file.split('/').slice(0, -1)
  return ignoredEntries(repo).some(({ name, anywhere }) =>
    anywhere ? parts.includes(name) : parts[0] === name,
  )
}

/** The migration files the step names (`server/migrations/**` → the files in that folder). */
function migrationFiles(repo: RepoProbe, glob: string | undefined): string[] {
  const dir = glob?.replace(/\/?\*.*$/, '')
  if (!dir) return []
  return repo
    .list(dir)
    .filter((f) => /\.[cm]?[jt]s$/.test(f))
    .slice(0, 2000)
    .map((f) => `${dir}/${f}`)
}

/**
 * A string in code that is the folder or a path in it: `'dist/migrations/*.js'`, or the folder
 * then its next part as separate arguments (`path.join(cwd, "build", \`server/scripts/${x}\`)`).
 */
function referenceTo(text: string, folder: string): { sub: string | undefined; at: number } | undefined {
  const name = folder.replace(/[.]/g, '\\.')
  const match = new RegExp(
    // The name then a `/`, or its closing quote: `'database'` is not the folder `data`.
    String.raw`['"\`](?:\.\/)?${name}(?:\/([\w.-]+)|['"\`](?:\s*,\s*['"\`]([\w.-]+))?)`,
  ).exec(text)
  if (!match) return undefined
  // A bare "build" is a path only as an argument of a path call, not a word (`type: 'build'`).
  if (
    match[1] === undefined &&
    !/\b(join|resolve|require|import)\s*\([^;]*$/.test(
      text.slice(Math.max(0, match.index - 120), match.index),
    )
  )
    return undefined
  const sub = match[1] ?? match[2]
  return { sub: sub && !/\*/.test(sub) ? sub : undefined, at: match.index }
}

/** The package script that builds `folder/sub`: `build:<sub>`, one that writes to the folder, else `build`. */
function producerOf(repo: RepoProbe, folder: string, sub: string | undefined): string | undefined {
  const scripts = repo.nodeScripts()
  if (sub && scripts[`build:${sub}`] !== undefined) return `build:${sub}`
  const out = new RegExp(String.raw`(?:--out-?dir|--outdir|-d|--out-file|-o)[= ]+(?:\.\/)?${folder}\b`, 'i')
  const writer = Object.keys(scripts).find((n) => /^build\b/.test(n) && out.test(scripts[n]!))
  return writer ?? (scripts.build !== undefined ? 'build' : undefined)
}
