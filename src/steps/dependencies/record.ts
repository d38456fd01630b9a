// What the check compares: a hash per input file (manifest, lockfile, requirements, ...)
// recorded after the last successful install, and the install folder that install left.
// Everything here reads files; nothing starts a process, so a met check costs milliseconds.
import { createHash } from 'node:crypto'
import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { exists, findOnPath } from '../../engine/which.js'
import type { CheckResult } from '../define.js'
import { type BundlerRecord, missingGems } from './bundler.js'
import { launch, shown } from './launch.js'
import { type Manager, type Project, venvPython } from './managers.js'
import { ownRecordFiles, ownRecordProblem } from './own-record.js'
import { brokenVenv } from './python.js'

export interface InstallRecord {
  /** Input file → sha256 of its content, or null where it did not exist. */
  files: Record<string, string | null>
  /** The marker path the install left (see Manager.markers), or null for cache-only managers. */
  marker: string | null
  /** The install command, so a switch (npm install → npm ci) runs again. */
  command: string
  /**
   * Real path of the runtime (node, python3) on the step's PATH at install time: native
   * addons and venvs belong to it. Absent in records from before it was recorded.
   */
  runtime?: string | null
  /**
   * The manager's own records of a finished install (own-record.ts) that this install left.
   * Absent in records from before they were recorded: then every one the manager writes is asked.
   */
  own?: string[]
  /** Set when an install starts, before it runs: a record that vouches for nothing until it succeeds. */
  unfinished?: string
  /** Bundler: the installed gems' paths, which the check stats instead of starting Ruby. */
  bundle?: BundlerRecord
}

/** The record while an install runs: whatever that install leaves, the old success no longer holds. */
export const startedInstall = (record: InstallRecord | undefined, command: string): InstallRecord => ({
  files: record?.files ?? {},
  marker: record?.marker ?? null,
  command: record?.command ?? command,
  unfinished: command,
})

/** The real path of `m`'s runtime on PATH (a file lookup, no process), or null when none. */
export async function runtimeIdentity(m: Manager, env: Record<string, string>): Promise<string | null> {
  if (!m.runtime) return null
  const found = await findOnPath(m.runtime, env)
  return found ? await realpath(found).catch(() => found) : null
}

/** "node changed since last install (a → b)" when the runtime differs from the recorded one. */
export async function runtimeChange(
  m: Manager,
  env: Record<string, string>,
  record: InstallRecord | undefined,
): Promise<string | undefined> {
  if (!m.runtime || record?.runtime === undefined) return undefined
  const now = await runtimeIdentity(m, env)
  if (now === record.runtime) return undefined
  const shown = (p: string | null) => p ?? 'not on PATH'
  return `${m.runtime} changed since last install (${shown(record.runtime)} → ${shown(now)})`
}

export function inputFiles(m: Manager, project: Project): string[] {
  return [...new Set([...m.manifests, ...m.lockfiles, ...(m.extraInputs?.(project) ?? [])])]
}

export async function hashInputs(
  m: Manager,
  project: Project,
  env: Record<string, string>,
): Promise<Record<string, string | null>> {
  const names = inputFiles(m, project)
  const outside = m.outsideInputs?.(env)
  const hashes = await Promise.all(
    names.map(async (name) => {
      try {
        return createHash('sha256')
          .update(await readFile(path.join(project.dir, name)))
          .digest('hex')
      } catch {
        return null
      }
    }),
  )
  return { ...Object.fromEntries(names.map((name, i) => [name, hashes[i]!])), ...(await outside) }
}

export function installCommand(m: Manager, project: Project): string {
  return m.commands(project).at(-1)!.join(' ')
}

/**
 * The install as it runs here (`corepack yarn install …`, `node .yarn/releases/yarn-4.5.0.cjs
 * install`), for the fix line and --dry-run; the bare command when the program cannot be found.
 * Only the bare command is recorded: finding yarn elsewhere next time is no reason to reinstall.
 */
export async function launchedCommand(m: Manager, project: Project, env: Record<string, string>) {
  const argv = m.commands(project).at(-1)!
  const launched = await launch(argv, project.dir, env)
  return launched ? shown(launched, project.dir) : argv.join(' ')
}

/** After an install: what the next check will compare against. */
export async function recordInstall(
  m: Manager,
  project: Project,
  env: Record<string, string>,
): Promise<InstallRecord> {
  const markers = await Promise.all(m.markers.map((marker) => exists(path.join(project.dir, marker))))
  const own = ownRecordFiles(m, project)
  const left = await Promise.all(own.map((file) => exists(path.join(project.dir, file))))
  return {
    files: await hashInputs(m, project, env),
    marker: m.markers.find((_, i) => markers[i]) ?? null,
    command: installCommand(m, project),
    runtime: await runtimeIdentity(m, env),
    own: own.filter((_, i) => left[i]),
  }
}

export async function compareWithRecord(
  m: Manager,
  project: Project,
  record: InstallRecord | undefined,
  env: Record<string, string>,
): Promise<CheckResult> {
  if (!record) return { met: false, reason: 'never installed here' }
  if (record.unfinished !== undefined) {
    return { met: false, reason: `the last install (\`${record.unfinished}\`) failed or was interrupted` }
  }
  const current = await hashInputs(m, project, env)
  const names = new Set([...Object.keys(current), ...Object.keys(record.files)])
  const changed = [...names].filter((name) => (current[name] ?? null) !== (record.files[name] ?? null))
  if (changed.length > 0) {
    return { met: false, reason: `${changed.join(', ')} changed since last install` }
  }
  const runtime = await runtimeChange(m, env, record)
  if (runtime) return { met: false, reason: runtime }
  const command = installCommand(m, project)
  if (command !== record.command) {
    return { met: false, reason: `install command changed (was \`${record.command}\`, now \`${command}\`)` }
  }
  const ownFiles = record.own ?? ownRecordFiles(m, project)
  if (record.marker) {
    const missing = await missingInstall(project.dir, record.marker, ownFiles)
    if (missing) return { met: false, reason: missing }
  }
  const own = await ownRecordProblem(m, project, ownFiles)
  if (own) return { met: false, reason: own }
  if (m.name === 'bundler') return bundleIntact(project, record.bundle)
  const what = project.lockfile ?? project.requirements[0] ?? m.manifests.find((f) => project.present.has(f))
  const folder = record.marker ? `, ${topFolder(record.marker)} intact` : ''
  return { met: true, reason: `${what ?? 'manifest'} unchanged since last install${folder}` }
}

const topFolder = (marker: string) => marker.split('/')[0]!

/** Why the install folder is not intact, or undefined when it is. */
async function missingInstall(
  dir: string,
  marker: string,
  ownFiles: readonly string[],
): Promise<string | undefined> {
  const folder = topFolder(marker)
  if (!(await exists(path.join(dir, folder)))) return `${folder} missing`
  // The manager's own record is asked next (own-record.ts), in its own words.
  if (ownFiles.includes(marker)) return undefined
  // stat follows symlinks: a venv whose python was removed or upgraded away fails here.
  if (!(await exists(path.join(dir, marker)))) return `${folder} incomplete (${marker} missing or broken)`
  if (marker === venvPython) {
    const broken = await brokenVenv(dir)
    if (broken) return `.venv incomplete (${broken})`
  }
  return undefined
}

/** Bundler's record: the gems Bundler resolved at install time, each still where it installed it. */
async function bundleIntact(project: Project, bundle: BundlerRecord | undefined): Promise<CheckResult> {
  // A record from before devsetup kept the gems' paths vouches for nothing it can check.
  if (!bundle) return { met: false, reason: 'no record of where Bundler installed the gems' }
  const missing = await missingGems(bundle)
  if (missing) return { met: false, reason: missing }
  return {
    met: true,
    reason: `${project.lockfile ?? 'Gemfile'} unchanged since last install, gems in ${bundle.where} intact`,
  }
}
