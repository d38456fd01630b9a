// A dev script that sets up before it serves: `npm run services:up && npm run services:wait:database
// && npm run migrations:up && next dev` (clone-tabnews). The recipe's own steps start the services
// and migrate, and `docker compose` needs an engine this machine may not run; so the dev server's
// `start` is the chain's last part, the server itself, when an earlier part starts containers.
import type { RepoProbe } from './repo.js'
import { runScript } from './script-files.js'

const containers = /\bdocker(?:-compose|\s+compose|\s+run|\s+start)\b|\bpodman(?:-compose)?\b/

/** The command a package script runs, with `npm run x` parts followed (a few deep). */
function expanded(repo: RepoProbe, command: string, depth = 0): string {
  if (depth > 3) return command
  return command
    .split(/\s*&&\s*/)
    .map((part) => {
      const name = runScript.exec(part.trim())?.[1]
      const body = name ? repo.nodeScripts()[name] : undefined
      return body === undefined ? part : expanded(repo, body, depth + 1)
    })
    .join(' && ')
}

/** The server part of a dev script that first starts containers, or undefined when it does not. */
export function serverOfChain(repo: RepoProbe, script: string): string | undefined {
  const parts = script.split(/\s*&&\s*/)
  if (parts.length < 2) return undefined
  const setup = parts.slice(0, -1)
  if (!setup.some((part) => containers.test(expanded(repo, part)))) return undefined
  const server = parts.at(-1)!.trim()
  // A bare tool (`next dev`) lives in node_modules/.bin, which npm puts on PATH only for its scripts.
  return runScript.test(server) || /^(node|npx|bun|deno)\b/.test(server) ? server : `npx ${server}`
}
