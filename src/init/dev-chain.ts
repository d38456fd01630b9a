// A dev script that sets up before it serves: `npm run services:up && npm run services:wait:database
// && npm run migrations:up && next dev` (clone-tabnews). The recipe's own steps start the services
// and migrate, and `docker compose` needs an engine this machine may not run; so the dev server's
// `start` is the chain's last part, the server itself, when an earlier part starts containers.
import type { RepoProbe } from './repo.js'
import { runScript, scriptFiles } from './script-files.js'

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
