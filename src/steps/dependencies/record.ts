// What the check compares: a hash per input file (manifest, lockfile, requirements, ...)
// recorded after the last successful install, and the install folder that install left.
// Everything here reads files; nothing starts a process, so a met check costs milliseconds.
import { createHash } from 'node:crypto'
import { readdir, readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { exists, findOnPath } from '../../engine/which.js'
import type { CheckResult } from '../define.js'
import { type Manager, type Project, venvPython } from './managers.js'
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
}

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

export async function hashInputs(m: Manager, project: Project): Promise<Record<string, string | null>> {
  const names = inputFiles(m, project)
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
  return Object.fromEntries(names.map((name, i) => [name, hashes[i]!]))
}

export function installCommand(m: Manager, project: Project): string {
  return m.commands(project).at(-1)!.join(' ')
}

/** After an install: what the next check will compare against. */
export async function recordInstall(
  m: Manager,
  project: Project,
  env: Record<string, string>,
): Promise<InstallRecord> {
  const markers = await Promise.all(m.markers.map((marker) => exists(path.join(project.dir, marker))))
  return {
    files: await hashInputs(m, project),
    marker: m.markers.find((_, i) => markers[i]) ?? null,
    command: installCommand(m, project),
    runtime: await runtimeIdentity(m, env),
  }
}

export async function compareWithRecord(
  m: Manager,
  project: Project,
  record: InstallRecord | undefined,
  env: Record<string, string>,
): Promise<CheckResult> {
  if (!record) return { met: false, reason: 'never installed here' }
  const current = await hashInputs(m, project)
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
  if (record.marker) {
    const missing = await missingInstall(project.dir, record.marker)
    if (missing) return { met: false, reason: missing }
  }
  const what = project.lockfile ?? project.requirements[0] ?? m.manifests.find((f) => project.present.has(f))
  const folder = record.marker ? `, ${topFolder(record.marker)} intact` : ''
  return { met: true, reason: `${what ?? 'manifest'} unchanged since last install${folder}` }
}

const topFolder = (marker: string) => marker.split('/')[0]!

/** Why the install folder is not intact, or undefined when it is. */
async function missingInstall(dir: string, marker: string): Promise<string | undefined> {
  const folder = topFolder(marker)
  if (!(await exists(path.join(dir, folder)))) return `${folder} missing`
  // stat follows symlinks: a venv whose python was removed or upgraded away fails here.
  if (!(await exists(path.join(dir, marker)))) return `${folder} incomplete (${marker} missing or broken)`
  if (marker === 'node_modules/.package-lock.json') return missingNpmPackage(dir, marker)
  if (marker === venvPython) {
    const broken = await brokenVenv(dir)
    if (broken) return `.venv incomplete (${broken})`
  }
  return undefined
}

/** npm records the tree it installed in node_modules/.package-lock.json: every folder must still be there. */
async function missingNpmPackage(dir: string, marker: string): Promise<string | undefined> {
  let packages: Record<string, unknown>
  try {
    packages =
      (JSON.parse(await readFile(path.join(dir, marker), 'utf8')) as { packages?: Record<string, unknown> })
        .packages ?? {}
  } catch {
    return `node_modules incomplete (${marker} unreadable)`
  }
  const folders = Object.keys(packages).filter((key) => key.startsWith('node_modules/'))
  const split = folders.map(splitFolder)
  // One readdir per parent folder rather than a stat per package: a 1,000-package tree is
  // one or a few syscalls, which keeps the met check in single-digit milliseconds.
  const parents = [...new Set(split.map(([parent]) => parent))]
  const listings = await Promise.all(
    parents.map((parent) =>
      readdir(path.join(dir, parent)).then(
        (names) => new Set(names),
        () => new Set<string>(),
      ),
    ),
  )
  const byParent = new Map(parents.map((parent, i) => [parent, listings[i]!]))
  const missing = folders.filter((_, i) => !byParent.get(split[i]![0])!.has(split[i]![1]))
  if (missing.length === 0) return undefined
  const more = missing.length > 1 ? ` and ${missing.length - 1} more` : ''
  return `node_modules incomplete (${missing[0]} missing${more})`
}

/**
 * [path.posix.dirname, path.posix.basename] of a lockfile key, cut at its last slash: the same
 * answer for a plain `a/b` key (a thousand of them cost a millisecond through node:path); any
 * other shape (a trailing or doubled slash) goes through node:path.
 */
export function splitFolder(folder: string): [string, string] {
  const at = folder.lastIndexOf('/')
  if (at > 0 && at < folder.length - 1 && folder[at - 1] !== '/')
    return [folder.slice(0, at), folder.slice(at + 1)]
  return [path.posix.dirname(folder), path.posix.basename(folder)]
}
