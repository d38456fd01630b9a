// A dev script that sets up before it serves: `npm run services:up && npm run services:wait:database
// && npm run migrations:up && next dev` (clone-tabnews). The recipe's own steps start the services
// and migrate, and `docker compose` needs an engine this machine may not run; so the dev server's
// `start` is the chain's last part, the server itself, when an earlier part starts containers.
import path from 'node:path'
import { RepoProbe } from './repo.js'
import { runScript, scriptFiles } from './script-files.js'
import { workspaceRun } from './workspaces.js'

const containers = /\bdocker(?:-compose|\s+compose|\s+run|\s+start)\b|\bpodman(?:-compose)?\b/

/** Whether a part of the chain starts containers, itself or through the package scripts it runs. */
function startsContainers(repo: RepoProbe, part: string): boolean {
  const scripts = repo.nodeScripts()
  return [part, ...scriptFiles(repo, part).scripts.map((name) => scripts[name] ?? '')].some((text) =>
    containers.test(text),
  )
}

/** The server part of a dev script that first starts containers, or undefined when it does not. */
export function serverOfChain(repo: RepoProbe, script: string): string | undefined {
  const parts = script.split(/\s*&&\s*/)
  if (parts.length < 2) return undefined
  const setup = parts.slice(0, -1)
  if (!setup.some((part) => startsContainers(repo, part))) return undefined
  const server = parts.at(-1)!.trim()
  // A bare tool (`next dev`) lives in node_modules/.bin, which npm puts on PATH only for its scripts.
  return runScript.test(server) || /^(node|npx|bun|deno)\b/.test(server) ? server : `npx ${server}`
}

/** One command the dev script ends up running, and the package scripts followed to reach it. */
export interface ChainLeaf {
  command: string
  via: string[]
  /** The folder it runs in, after a `cd backend &&` before it (undefined: the root). */
  cwd?: string
  /**
   * The workspace package whose script it is (`apps/server`), reached through `runner` (`turbo
   * dev`): `via` and `cwd` are then that package's, and its files are read in its folder.
   */
  workspace?: string
  runner?: string
}

// `concurrently` options that take a value: their quoted value is no command.
const concurrentlyValue =
  /(?:^|\s)(?:-[ncptsm]|--(?:names|prefix-colors|prefix|name-separator|timestamp-format|success|max-processes))[= ]\s*$/
const runAll = /^(?:npx\s+)?(?:npm-run-all2?|run-p|run-s)\b(.*)$/

/**
 * Every command a dev script runs, through `npm run x` and `concurrently "…" "…"` / `run-p a b`
 * chains: `concurrently "npm run dev-server" "npm run dev-client"` is `nodemon server.js` and the
 * client's command, so init can health-check the API server rather than the front end. A command
 * after `cd backend &&` runs there (Jellystat's `cd backend && nodemon server.js`); a package script
 * in another folder (`cd client && npm start`, `npm start --prefix client`) is another package: skipped.
 */
export function chainLeaves(
  repo: RepoProbe,
  script: string,
  via: string[] = [],
  leaves: ChainLeaf[] = [],
  trail: string[] = [],
): ChainLeaf[] {
  const scripts = repo.nodeScripts()
  // `trail`: every script followed to get here, `folder:name`, across workspace hops too (`via`
  // restarts in each package): a workspace listing the root itself (`packages: ['.', 'apps/*']`
  // beside `dev: turbo dev`) would otherwise run the root's dev again, without end.
  const enter = (root: string, name: string) => {
    const key = `${path.resolve(root)}:${name}`
    return trail.length > 4 || trail.includes(key) ? undefined : [...trail, key]
  }
  const follow = (name: string) => {
    const next = scripts[name] === undefined ? undefined : enter(repo.root, name)
    if (next) chainLeaves(repo, scripts[name]!, [...via, name], leaves, next)
  }
  // Quoted arguments (`concurrently "a && b" "c"`) hold their own chains: split outside them only.
  const quoted: string[] = []
  const masked = script.replace(/(["'])(.*?)\1/g, (q) => `\0${quoted.push(q) - 1}\0`)
  const unmask = (text: string) => text.replace(/\0(\d+)\0/g, (_, i: string) => quoted[Number(i)]!)
  for (const sequence of masked.split(/\s*(?:;|\|\|?|(?<!&)&(?!&))\s*/)) {
    let here = ''
    for (const raw of sequence.split(/\s*&&\s*/).map(unmask)) {
      const part = raw
        .replace(/^(?:[A-Z_][A-Z0-9_]*=\S*\s+|(?:npx\s+)?cross-env\s+|dotenv\s+(?:-e\s+\S+\s+)*--\s+)+/, '')
        .trim()
      const cd = /^cd\s+(\S+)$/.exec(part)?.[1]
      if (/^cd\s/.test(part)) {
        // The rest of this sequence runs in another folder: followed when it is one of the repo's.
        const dir = cd ? folderOf(here, cd) : undefined
        if (dir === undefined || !repo.isDir(dir)) break
        here = dir
        continue
      }
      if (here && runScript.test(part)) break
      // A task runner (`turbo dev`, `pnpm --filter api run dev`): each package script it runs,
      // followed in that package's folder.
      const targets = here ? undefined : workspaceRun(repo, part)
      if (targets) {
        for (const target of targets) {
          const folder = path.resolve(repo.root, target.folder)
          // The root as a workspace of its own (`.`) runs the script that started the runner.
          const next = folder === path.resolve(repo.root) ? undefined : enter(folder, target.task)
          if (!next) continue
          const from = leaves.length
          const probe = new RepoProbe(folder)
          chainLeaves(probe, target.body, [target.task], leaves, next)
          for (const leaf of leaves.slice(from)) {
            leaf.runner ??= part
            leaf.workspace = leaf.workspace ? `${target.folder}/${leaf.workspace}` : target.folder
          }
        }
        continue
      }
      if (/(?:^|\s)(?:--prefix|--cwd|-C|--dir|--filter)\b/.test(part)) continue
      if (/^(?:(?:npx|bunx|yarn|pnpm(?:\s+exec)?)\s+)?concurrently\b/.test(part)) {
        for (const quoted of part.matchAll(/(["'])(.*?)\1/g)) {
          if (concurrentlyValue.test(part.slice(0, quoted.index))) continue
          const inner = quoted[2]!.replace(/^(npm|yarn|pnpm|bun):(\S+)$/, '$1 run $2')
          chainLeaves(repo, inner, via, leaves, trail)
        }
        continue
      }
      const all = runAll.exec(part)
      if (all) {
        for (const arg of all[1]!.split(/\s+/).filter((a) => a && !a.startsWith('-'))) {
          const glob = new RegExp(
            `^${arg
              .replace(/["']/g, '')
              .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '[^:]*')}$`,
          )
          for (const name of Object.keys(scripts)) if (glob.test(name)) follow(name)
        }
        continue
      }
      const name = runScript.exec(part)?.[1]
      if (name && scripts[name] !== undefined) follow(name)
      // The command as written: `PORT=4000 node …` fixes the port.
      else if (part) leaves.push({ command: raw.trim(), via, ...(here ? { cwd: here } : {}) })
    }
  }
  return leaves
}

/** `cd ../x` from `here`, as a path from the repository's root; undefined when it leaves it. */
function folderOf(here: string, cd: string): string | undefined {
  const parts = here ? here.split('/') : []
  for (const piece of cd.replace(/\/$/, '').split('/')) {
    if (piece === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else if (piece !== '.' && piece !== '') parts.push(piece)
  }
  return parts.length > 0 ? parts.join('/') : undefined
}
