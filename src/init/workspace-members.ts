// A workspaces root (npm/yarn `workspaces`, pnpm-workspace.yaml) with no dev script of its own:
// the app is its members' — the server a member's `dev` (apps/api), the migrations another's
// `migrate` (cmd/migrations), the framework a member's dependency. Without looking there, init
// wrote no server and no unmet step, and the recipe was green with nothing listening.
// The members are the ones workspaces.ts lists (its globs are bounded); a member's own scripts
// are followed by chainLeaves, whose trail bounds the recursion as it does for a root runner.
import path from 'node:path'
import { chainLeaves } from './dev-chain.js'
import { devScriptName, findMigrationsDir, migrateScriptName, nodeRunner } from './node-scripts.js'
import type { DatabaseCommands } from './provider.js'
import { RepoProbe } from './repo.js'
import { runsServerCode, toolOf } from './server-port.js'
import { apiFolder } from './subfolders.js'
import { type WorkspacePackage, workspacePackages } from './workspaces.js'

// Members that are no part of the app a person runs: examples, docs, test fixtures.
const notApp = /(^|\/)(examples?|docs?|tests?|fixtures|e2e|bench(marks?)?)(\/|$)/

const members = (repo: RepoProbe) => workspacePackages(repo).filter((m) => !notApp.test(m.folder))
const probeOf = (repo: RepoProbe, member: WorkspacePackage) =>
  new RepoProbe(path.join(repo.root, member.folder))

/** Each member's package.json dependencies and devDependencies, with its folder. */
export function memberDependencies(repo: RepoProbe): { folder: string; deps: Record<string, string> }[] {
  return members(repo).map((m) => ({ folder: m.folder, deps: probeOf(repo, m).nodeDependencies() }))
}

/**
 * A member's script run from the repository's root, in the package manager's own form. From the
 * root, not with `cwd:` the member: the manager then runs the script in the member's folder with
 * its and the root's node_modules/.bin on PATH (hoisted installs), as a person types it from the
 * README; a root runner (`turbo dev`) is started from the root the same way; and workspaces.ts reads
 * this command back, so the port, health route and env files are found by the runner path's code.
 */
export function runInMember(repo: RepoProbe, member: WorkspacePackage, script: string): string {
  const runner = nodeRunner(repo)
  if (runner === 'pnpm') return `pnpm --filter ${member.name} run ${script}`
  if (runner === 'yarn') return `yarn workspace ${member.name} run ${script}`
  if (runner === 'bun run') return `bun run --filter ${member.name} ${script}`
  return `npm run ${script} -w ${member.folder}`
}

export interface ServerMember {
  member: WorkspacePackage
  script: string
  why: string
}

/**
 * The member whose dev script (chosen as the root's is: `dev`, ..., `start`) runs a server: the
 * API before a front end beside it (as serverPort ranks a runner's packages), then a folder named
 * api/server/backend (as subfolders.ts ranks app folders), then one that depends on a server
 * framework; a front end's dev server only when no member runs a server.
 */
export function serverMember(repo: RepoProbe, frameworks: readonly string[]): ServerMember | undefined {
  const found = members(repo).flatMap((member) => {
    const script = devScriptName(member.scripts)
    if (!script) return []
    const leaves = chainLeaves(probeOf(repo, member), member.scripts[script]!, [script])
    const server = leaves.some((l) => runsServerCode(l) || (toolOf(l) !== undefined && !toolOf(l)!.frontEnd))
    const frontEnd = leaves.some((l) => toolOf(l)?.frontEnd)
    return server || frontEnd ? [{ member, script, server }] : []
  })
  const servers = found.filter((f) => f.server)
  const pool = servers.length > 0 ? servers : found
  const framework = (m: WorkspacePackage) =>
    frameworks.some((d) => probeOf(repo, m).nodeDependencies()[d] !== undefined)
  const chosen =
    pool.find((f) => apiFolder.test(f.member.folder)) ?? pool.find((f) => framework(f.member)) ?? pool[0]
  if (!chosen) return undefined
  const others = found.filter((f) => f !== chosen).map((f) => f.member.folder)
  const beside = others.length > 0 ? `; not ${others.join(', ')}` : ''
  return {
    member: chosen.member,
    script: chosen.script,
    why: `${chosen.member.folder}/package.json scripts.${chosen.script} (a workspace member: the root has no dev script${beside})`,
  }
}

/**
 * The migrate command of a member with a migrate script (`npm run migrate -w cmd/migrations`), for
 * a database step no provider gave one, with that member's migrations folder when it has a known one.
 */
export function memberMigrate(repo: RepoProbe): { commands: DatabaseCommands; note: string } | undefined {
  for (const member of members(repo)) {
    const script = migrateScriptName(member.scripts)
    if (!script) continue
    const dir = findMigrationsDir(probeOf(repo, member))
    const migrate = runInMember(repo, member, script)
    return {
      commands: { migrate, ...(dir ? { migrations: `${member.folder}/${dir}/**` } : {}) },
      note: `database: \`migrate: ${migrate}\` is ${member.folder}/package.json scripts.${script} (a workspace member; the root has no migrate script)`,
    }
  }
  return undefined
}
