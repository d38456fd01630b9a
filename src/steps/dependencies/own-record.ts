// What the package manager itself writes once an install has finished, and whether the install
// folder still matches it. devsetup's fingerprint says "nothing changed since the last install";
// only the manager's own record says that install was complete. npm writes its hidden lockfile,
// yarn 1 its integrity file, pnpm .modules.yaml at the end of a finished install: a reinstall
// that failed partway leaves packages but not these. Berry writes its install state even when a
// build failed, so for it the step's own "install started" mark (../dependencies.ts) decides.
// Files only: a met check starts no process.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { exists } from '../../engine/which.js'
import type { Manager, Project } from './managers.js'

/** The files `m` writes when an install finished, relative to the project folder. */
export function ownRecordFiles(m: Manager, project: Project): string[] {
  switch (m.name) {
    case 'npm':
      return ['node_modules/.package-lock.json']
    case 'yarn':
      return [project.berry ? '.yarn/install-state.gz' : 'node_modules/.yarn-integrity']
    case 'pnpm':
      return ['node_modules/.modules.yaml']
    default:
      return []
  }
}

/** Why the manager's record says the install is not complete, or undefined when it is. */
export async function ownRecordProblem(
  m: Manager,
  project: Project,
  files: readonly string[],
): Promise<string | undefined> {
  for (const file of files) {
    if (!(await exists(path.join(project.dir, file)))) {
      return `${file} missing: ${m.name} did not record a finished install here`
    }
  }
  if (files.includes('node_modules/.package-lock.json')) return missingNpmPackage(project.dir)
  if (files.includes('node_modules/.yarn-integrity')) return missingYarnPackage(project.dir)
  return undefined
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

/** npm records the tree it installed in node_modules/.package-lock.json: every folder must still be there. */
async function missingNpmPackage(dir: string): Promise<string | undefined> {
  const marker = 'node_modules/.package-lock.json'
  const lock = await readJson<{ packages?: Record<string, unknown> }>(path.join(dir, marker))
  if (!lock) return `node_modules incomplete (${marker} unreadable)`
  return missingFolders(
    dir,
    Object.keys(lock.packages ?? {}).filter((key) => key.startsWith('node_modules/')),
  )
}

/** yarn 1 lists the packages it installed at the top (`name@range`) in node_modules/.yarn-integrity. */
async function missingYarnPackage(dir: string): Promise<string | undefined> {
  const marker = 'node_modules/.yarn-integrity'
  const integrity = await readJson<{ topLevelPatterns?: unknown }>(path.join(dir, marker))
  if (!integrity || !Array.isArray(integrity.topLevelPatterns)) {
    return `node_modules incomplete (${marker} unreadable)`
  }
  const names = integrity.topLevelPatterns
    .filter((p): p is string => typeof p === 'string')
    // The name ends at the first @ after its first character: `@scope/name@^1` → `@scope/name`.
    .map((pattern) => pattern.slice(0, pattern.indexOf('@', 1) > 0 ? pattern.indexOf('@', 1) : undefined))
  return missingFolders(
    dir,
    [...new Set(names)].map((name) => `node_modules/${name}`),
  )
}

/** "node_modules incomplete (node_modules/a missing and 2 more)" when a listed folder is gone. */
async function missingFolders(dir: string, folders: readonly string[]): Promise<string | undefined> {
  const missing = await missingPaths(dir, folders)
  if (missing.length === 0) return undefined
  return `node_modules incomplete (${missing[0]} missing${andMore(missing)})`
}

/** " and 2 more" after the first of `missing`, or nothing when it is alone. */
export const andMore = (missing: readonly unknown[]) =>
  missing.length > 1 ? ` and ${missing.length - 1} more` : ''

/**
 * Which of `paths` (relative to `dir`, or absolute) do not exist. One readdir per parent folder
 * rather than a stat per path: a 1,000-package tree is one or a few syscalls, which keeps the
 * met check in single-digit milliseconds.
 */
export async function missingPaths(dir: string, paths: readonly string[]): Promise<string[]> {
  const split = paths.map(splitFolder)
  const parents = [...new Set(split.map(([parent]) => parent))]
  const listings = await Promise.all(
    parents.map((parent) =>
      readdir(path.resolve(dir, parent)).then(
        (names) => new Set(names),
        () => new Set<string>(),
      ),
    ),
  )
  const byParent = new Map(parents.map((parent, i) => [parent, listings[i]!]))
  return paths.filter((_, i) => !byParent.get(split[i]![0])!.has(split[i]![1]))
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
