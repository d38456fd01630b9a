// What devsetup keeps running for a repository — the servers `service` steps set up and the dev
// server a `restart` step started — as `devsetup ps` shows it and `devsetup stop` stops it.
// Everything is found in the repository's state folder (devsetup's own records), so a recipe
// edited since still finds what an earlier recipe started; a server started by hand is never listed.
import type { Exec } from './define.js'
import { devServer } from './restart/running.js'
import { repositoryServices } from './service/running.js'

export interface Kept {
  /** What `devsetup stop <name>` takes: the engine (postgres, redis, mysql) or `server`. */
  name: string
  /** How `stop` names it: `postgres`, `postgres (docker compose db)`, `dev server (npm run dev)`. */
  title: string
  /** Undefined when it is not running, or when Docker runs it. */
  pid?: number
  port?: number
  /** When its process started (ISO 8601). */
  since?: string
  /** Its log file (or the command that shows its log). */
  log?: string
  running: boolean
  /** Running, and it answered when asked (its port, its health URL): what ps calls healthy. */
  healthy: boolean
  /** What was asked and what came back: `answers on 127.0.0.1:24012`, `HTTP 503`. */
  detail: string
  /** Where its data is kept (a service's folder), said when it stops. */
  data?: string
  /** Stops it; resolves false when it was not running. */
  stop(): Promise<boolean>
}

/** Everything devsetup set up to run for the repository at `root`, services first. */
export async function keptRunning(root: string, env: Record<string, string>, exec: Exec): Promise<Kept[]> {
  const [services, server] = await Promise.all([repositoryServices(root, env, exec), devServer(root)])
  return server ? [...services, server] : services
}
