// The app's own health route (`/health`, `/healthz`, `/api/health`, `/api/v2/health`, `/up`,
// `/ping`, `/api/v1/status`), when its code registers one or, in Next.js, its file is one: a health check there says the app is up, where `/` may
// need a login, a setup page or the front end's build. A mount prefix in a template literal
// (`${relativePath}/ping`) is the app's configurable base path, empty by default.
import type { RepoProbe } from './repo.js'
import { type Mount, routerMount } from './route-mount.js'

const route =
  /["'`](?:\$\{[\w.]+\})?(\/(?:api\/(?:v\d+\/)?)?(?:health|healthz|healthcheck|_health|up|ping)|\/api\/(?:v\d+\/)?status)["'`]/

// A route the code registers (`router.get("/health", …)`) before a bare literal, which can be an
// API document's `paths: { "/health": … }` (kutt's docs/api/api.js) rather than the server's route.
const registered = new RegExp(String.raw`\.\s*(?:get|use|all|head|route)\s*\(\s*${route.source}`)

// Next.js routes by file: pages/api/v1/status/index.js is `/api/v1/status`, app/api/health/route.ts
// is `/api/health`. `status` only under /api: an API's status answer, not a status page.
const fileRoute =
  /^(?:src\/)?(?:pages|app)\/(api\/(?:v\d+\/)?(?:health|healthz|healthcheck|status|ping))(?:\/index|\/route)?\.[cm]?[jt]sx?$/
// SvelteKit: src/routes/(group)/api/health/+server.ts is `/api/health`; groups in parentheses add nothing.
const svelteKitRoute =
  /^src\/routes\/(?:\([^/]+\)\/)*((?:api\/(?:v\d+\/)?)?(?:health|healthz|healthcheck|ping)|api\/(?:v\d+\/)?status)\/\+server\.[jt]s$/

/** The first health route found in `files` (or the app's source files), as a URL path; '/' when none. */
export function healthRoute(repo: RepoProbe, files: string[] = repo.sourceFiles()): string {
  return healthRouteAt(repo, files)?.route ?? '/'
}

/** The health route and where it comes from, for init's output: `, health route /api/health (routes.js:18, mounted at server.js:79)`. */
export function healthRouteWithWhy(
  repo: RepoProbe,
  files: string[] = repo.sourceFiles(),
): { route: string; why: string } {
  const found = healthRouteAt(repo, files)
  if (!found) return { route: '/', why: ', health on / (no health route found in its code)' }
  return { route: found.route, why: `, health route ${found.route} (${routeWhere(found)})` }
}

/** `routes.js:18`, or `routes.js:18, mounted at server.js:79` under a router's mount. */
export const routeWhere = (found: { file: string; line: number; mount?: Mount }) =>
  `${found.file}:${found.line}${found.mount ? `, mounted at ${found.mount.file}:${found.mount.line}` : ''}`

/** The first health route in `files`, with the file:line that registers it (and its router's mount). */
export function healthRouteAt(
  repo: RepoProbe,
  files: string[],
): { route: string; file: string; line: number; mount?: Mount } | undefined {
  // A test's request (`api.get('/health')` in integration-tests/) is no route the app registers;
  // nor is a route in the repository's scripts/ (kener's scripts/main.ts is the production server
  // its build bundles: under vite dev `/healthcheck` answers 404 and checks nothing of the app).
  files = files.filter((f) => !/(^|\/)[\w-]*tests?\/|\.(test|spec)\.[cm]?[jt]sx?$|^scripts\//.test(f))
  // An app its framework routes by file (Next, SvelteKit, Nuxt) has no route a bare string names:
  // kener's `PUBLIC_API_PATHS = ["/api/status", …]` in its hooks is a list, and no file serves it.
  const byFile = fileRouted(repo)
  const found = repo.firstMatch(files, registered) ?? (byFile ? undefined : repo.firstMatch(files, route))
  if (found) {
    const mount = routerMount(repo, files, found.file, found.line)
    if (!mount) return { route: found.match, file: found.file, line: found.line }
    return { route: mount.prefix + found.match, file: found.file, line: found.line, mount }
  }
  for (const file of files) {
    const found = fileRoute.exec(file)?.[1] ?? svelteKitRoute.exec(file)?.[1]
    if (found) return { route: `/${found}`, file, line: 1 }
  }
  return undefined
}

function fileRouted(repo: RepoProbe): boolean {
  const deps = repo.nodeDependencies()
  return ['next', '@sveltejs/kit', 'nuxt'].some((name) => deps[name] !== undefined)
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
