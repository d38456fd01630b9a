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
