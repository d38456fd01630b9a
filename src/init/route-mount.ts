// The path a router is mounted at. A route registered on a router answers under that router's
// mount, not at its own literal: kutt registers `apiRouter.use("/health", …)` in routes.js and
// mounts `app.use("/api", routes.api)` in server.js, so its health route is `/api/health`, and
// `/health` is only the front end's 302. Read statically, one level deep (Express/Koa-router
// style `x.use("/prefix", router)`): a router mounted inside another router's mount keeps only
// the inner prefix, which init's notes then show with the file:line of each part.
import path from 'node:path'
import type { RepoProbe } from './repo.js'

export interface Mount {
  prefix: string
  file: string
  line: number
}

/** Objects that are the app itself: what they register answers at its own path. */
const appObjects = /^(?:app|server|fastify|instance|application|this)$/

const registration = /\b([A-Za-z_$][\w$]*)\s*\.\s*(?:use|get|all|head|route)\s*\(\s*["'`]/
const mountCall = /\b[A-Za-z_$][\w$]*\s*\.\s*use\s*\(\s*["'`](\/[\w/.-]*)["'`]\s*,\s*([^)]*?)\s*[,)]/g
/** `const x = require('./routes/health')`, `import x from './routes/health.js'`, or a `#subpath` import. */
const moduleBinding =
  /\b(?:const|let|var|import)\s+([A-Za-z_$][\w$]*)\s*(?:=\s*require\s*\(\s*|from\s*)["'`]((?:\.{1,2}\/|#)[^"'`]+)["'`]/g
// A Fastify plugin's prefix: `fastify.register(healthCheckRouter, { prefix: "/api" })`. Inside the
// plugin the route is registered on `fastify` itself, which is the app only in name.
const registerCall =
  /\.\s*register\s*\(\s*([A-Za-z_$][\w$]*)\s*,\s*\{[^}]*?\bprefix\s*:\s*["'`](\/[\w/.-]*)["'`]/g

const stem = (name: string) => name.replace(/(?:Router|Routes|Route|router|routes)$/, '')
const moduleBase = (file: string) => path.basename(file).replace(/\.[cm]?[jt]sx?$/, '')

/**
 * Where the router that registers the route on `file`:`line` is mounted, when that line registers
 * it on a router (not the app) and a `.use("/prefix", …)` in `files` mounts that router: by its
 * name (`apiRouter` as `routes.api` or `apiRouter`) or by the module of `file` (a `require` of it,
 * inline or bound to a name). The shortest prefix when several mount it (kutt: `/api`, `/api/v2`).
 */
export function routerMount(repo: RepoProbe, files: string[], file: string, line: number): Mount | undefined {
  const text = (repo.read(file) ?? '').split('\n')[line - 1] ?? ''
  const router = registration.exec(text)?.[1]
  if (!router) return undefined
  if (appObjects.test(router)) return pluginPrefix(repo, files, file)
  const names = new Set([router, stem(router)].filter((n) => n.length > 0))
  const base = moduleBase(file)
  // `./routes/health`, `./routes/health.js` or `./routes/health/index.js` for routes/health….
  const namesIt = (spec: string) =>
    moduleBase(spec) === base || moduleBase(spec.replace(/\/index(?:\.[cm]?[jt]sx?)?$/, '')) === base
  const mounts: Mount[] = []
  for (const source of files) {
    const content = repo.read(source) ?? ''
    // Names this file binds to the route's module (`const health = require("./health.routes")`).
    const bound = new Set<string>()
    for (const [, name, spec] of content.matchAll(moduleBinding)) if (namesIt(spec!)) bound.add(name!)
    for (const match of content.matchAll(mountCall)) {
      const [, prefix, argument] = match as unknown as [string, string, string]
      const last = argument.split('.').pop()!.trim()
      const requiresIt = /require\s*\(\s*["'`]([^"'`]+)["'`]\s*$/.exec(argument)?.[1]
      const mountsIt =
        (source !== file && (names.has(argument) || names.has(last))) ||
        bound.has(argument) ||
        (requiresIt !== undefined && namesIt(requiresIt))
      if (!mountsIt || prefix === '/') continue
      mounts.push({ prefix: prefix.replace(/\/+$/, ''), file: source, line: lineOf(content, match.index!) })
    }
  }
  return mounts.sort((a, b) => a.prefix.length - b.prefix.length)[0]
}

const lineOf = (content: string, index: number) => content.slice(0, index).split('\n').length

/** The prefix a Fastify `register(<this module>, { prefix })` gives the routes of `file`, if any. */
function pluginPrefix(repo: RepoProbe, files: string[], file: string): Mount | undefined {
  const base = moduleBase(file)
  for (const source of files) {
    if (source === file) continue
    const content = repo.read(source) ?? ''
    if (!content.includes('register')) continue
    const bound = new Set<string>()
    for (const [, name, spec] of content.matchAll(moduleBinding))
      if (moduleBase(spec!) === base) bound.add(name!)
    for (const match of content.matchAll(registerCall)) {
      const [, name, prefix] = match as unknown as [string, string, string]
      if (bound.has(name) && prefix !== '/')
        return { prefix: prefix.replace(/\/+$/, ''), file: source, line: lineOf(content, match.index!) }
    }
  }
  return undefined
}
