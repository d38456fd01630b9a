// The app's own health route (`/health`, `/healthz`, `/api/health`, `/api/v2/health`, `/up`),
// when its code registers one: a health check there says the app is up, where `/` may need a
// login, a setup page or the front end's build.
import type { RepoProbe } from './repo.js'

const route = /["'`](\/(?:api\/(?:v\d+\/)?)?(?:health|healthz|healthcheck|_health|up|ping))["'`]/

/** The first health route found in `files` (or the app's source files), as a URL path; '/' when none. */
export function healthRoute(repo: RepoProbe, files: string[] = repo.sourceFiles()): string {
  for (const file of files) {
    const found = route.exec(repo.read(file) ?? '')?.[1]
    if (found) return found
  }
  return '/'
}

/** The port a server listens on, and the environment variable the app reads it from, if any. */
export interface ServerPort {
  port: number
  /** Set when the app takes its port from this variable (`process.env.PORT || 3000`, .env's PORT=…). */
  variable?: string
}

/**
 * The port as the recipe writes it: `${PORT:-3000}` when the app reads PORT, so that
 * `PORT=4000 devsetup up` moves the health check (and a start command's `-p`) along with the
 * server; the number itself when nothing the app reads can move it.
 */
export function portText(port: ServerPort): string {
  return port.variable ? `\${${port.variable}:-${port.port}}` : String(port.port)
}

export function healthUrl(port: ServerPort, path: string): string {
  return `http://127.0.0.1:${portText(port)}${path}`
}
