// An app that lives in a subfolder of the repository (`server/`, `express-main-example/`,
// `packages/api/`) whose root has no manifest of its own: init at the root finds it and writes its
// steps with `cwd:`, instead of an empty recipe that is green with no app. With several apps, the
// dev server devsetup starts is the API's (a folder named api/server/backend, or the one with a
// database), and the others are named in the notes.
import type { Detection } from './detect.js'
import { localLockfileUrl } from './local-lockfile.js'
import type { DetectedStep } from './provider.js'
import { readmeCommands } from './readme-commands.js'
import { installCommand } from './readme-setup.js'
import type { RepoProbe } from './repo.js'

export const manifests = [
  'package.json',
  'Gemfile',
  'go.mod',
  'manage.py',
  'pyproject.toml',
  'requirements.txt',
  'composer.json',
  'Cargo.toml',
]
/** A folder named for the API (api/, server/, backend/): its server is the one devsetup starts. */
export const apiFolder = /(^|\/)(api|server|backend)$/
const skipped = /^(\.|node_modules$|vendor$|docs?$|tests?$|spec$|fixtures$|dist$|build$|coverage$|scripts$)/

/** Folders (one level down, and packages/*, apps/*, services/*) that hold an app's manifest. */
export function appFolders(repo: RepoProbe): string[] {
  const level = (dir: string) =>
    repo
      .list(dir)
      .filter((name) => !skipped.test(name))
      .map((name) => (dir === '.' ? name : `${dir}/${name}`))
      .filter((folder) => repo.isDir(folder))
  const groups = ['packages', 'apps', 'services']
  const candidates = [...level('.').filter((f) => !groups.includes(f)), ...groups.flatMap(level)]
  return candidates.filter(
    (folder) => manifests.some((file) => repo.has(`${folder}/${file}`)) && !rootTemplate(repo, folder),
  )
}

/**
 * A package.json the app copies to its root at setup (NodeBB's install/package.json): the files
 * it runs (`main`, `node loader.js`) are at the root, not beside it. That folder is setup
 * material, not an app; the root (with its own CLI) is.
 */
export function rootTemplate(repo: RepoProbe, folder: string): boolean {
  if (manifests.some((file) => file !== 'package.json' && repo.has(`${folder}/${file}`))) return false
  const pkg = repo.json(`${folder}/package.json`)
  if (!pkg) return false
  const scripts = Object.values((pkg.scripts as Record<string, string> | undefined) ?? {})
  const runs = [
    pkg.main,
    ...scripts.map((script) => /^node\s+([\w./-]+\.[cm]?js)\b/.exec(script)?.[1]),
  ].filter((f): f is string => typeof f === 'string')
  return runs.length > 0 && runs.every((f) => repo.has(f) && !repo.has(`${folder}/${f}`))
}

/**
 * The detections of the app's folders joined, every step with its `cwd:`: the folder whose dev
 * server devsetup starts, and the folders the README installs (`cd client && npm ci`). The others
 * are apps of their own (feathers-chat's react-chat/, whose lockfile resolves a tarball the running
 * API serves): installing them can fail and is not what the recipe runs, so they are only named.
 */
export function joinFolders(repo: RepoProbe, parts: { folder: string; detection: Detection }[]): Detection {
  const joined: Detection = { steps: [], env: {}, notes: [], providers: [] }
  const servers = parts.filter((p) => p.detection.steps.some(isServer))
  const api =
    servers.find((p) => apiFolder.test(p.folder)) ??
    servers.find((p) => p.detection.steps.some((s) => s.type === 'database')) ??
    servers[0]
  const installed = readmeInstalls(repo)
  // With no dev server to start, nothing says which folder is the app: every folder is set up.
  const kept = api ? parts.filter((p) => p === api || installed.has(p.folder)) : parts
  for (const { folder, detection } of kept) {
    for (const step of detection.steps) {
      if (isServer(step) && folder !== api?.folder) continue
      const slot = kept.length > 1 ? `${step.slot}@${folder}` : step.slot
      const why =
        installed.get(folder) && folder !== api?.folder ? `${installed.get(folder)}; ${step.why}` : step.why
      joined.steps.push({ ...step, slot, cwd: folder, why: `${folder}/: ${why}` })
    }
    Object.assign(joined.env, detection.env)
    joined.notes.push(...detection.notes.map((note) => `${folder}/: ${note}`))
    for (const name of detection.providers) if (!joined.providers.includes(name)) joined.providers.push(name)
    if (detection.dropEnvUrl) joined.dropEnvUrl = true
    if (detection.serverEnv) joined.serverEnv = { ...joined.serverEnv, ...detection.serverEnv }
    const local = localLockfileUrl(repo, folder)
    if (local) joined.notes.push(local)
  }
  for (const other of servers.filter((p) => p !== api && kept.includes(p))) {
    const start = (other.detection.steps.find(isServer)?.config as { start?: string } | undefined)?.start
    joined.notes.push(
      `${other.folder}/ has a dev server too${start ? ` (${start})` : ''}: devsetup starts ${api!.folder}/'s; add a restart step for it with cwd: ${other.folder} if you want both`,
    )
  }
  for (const { folder, detection } of parts.filter((p) => !kept.includes(p))) {
    const start = (detection.steps.find(isServer)?.config as { start?: string } | undefined)?.start
    const local = localLockfileUrl(repo, folder)
    joined.notes.push(
      `not set up: ${folder}/ (its own app${start ? `, started with \`${start}\`` : ''}; \`cd ${folder} && ${installOf(repo, folder)}\`)${local ? `; ${local}` : ''}`,
    )
  }
  joined.notes.unshift(`no app at the root: found ${parts.map((p) => `${p.folder}/`).join(', ')}`)
  return joined
}

/** Folders the README installs in (`cd client` then `npm ci`), with where it says so. */
function readmeInstalls(repo: RepoProbe): Map<string, string> {
  const found = new Map<string, string>()
  for (const c of readmeCommands(repo))
    if (c.cwd && installCommand.test(c.text) && !found.has(c.cwd))
      found.set(c.cwd, `${c.file}:${c.line} installs it (\`${c.text}\` in ${c.cwd}/)`)
  return found
}

/** How that folder's own dependencies are installed, for the note. */
function installOf(repo: RepoProbe, folder: string): string {
  if (repo.has(`${folder}/pnpm-lock.yaml`)) return 'pnpm install'
  if (repo.has(`${folder}/yarn.lock`)) return 'yarn install'
  if (repo.has(`${folder}/package-lock.json`)) return 'npm ci'
  if (repo.has(`${folder}/Gemfile`)) return 'bundle install'
  return repo.has(`${folder}/package.json`) ? 'npm install' : 'see its README'
}

/** The dev server's steps: its restart and the run steps made for it (the missing-server marker). */
function isServer(step: DetectedStep): boolean {
  return step.type === 'restart' || step.slot === 'run: Dev server'
}
