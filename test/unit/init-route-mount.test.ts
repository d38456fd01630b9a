// A health route registered on a router answers under the router's mount (kutt: `apiRouter.use
// ("/health")` in routes.js, `app.use("/api", routes.api)` in server.js → `/api/health`). Read
// from the files as init reads them, with the file:line of the route and of the mount.
import { describe, expect, it } from 'vitest'
import { healthRouteAt } from '../../src/init/health-route.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

function found(files: Record<string, string>) {
  const repo = new RepoProbe(tempRepo(files))
  return healthRouteAt(repo, repo.sourceFiles())
}

describe('a health route under a router mount', () => {
  it("a router mounted by its name's stem, twice: the shortest mount; an API document's literal is not the route", () => {
    expect(
      found({
        'docs/api.js': 'module.exports = {\n  paths: {\n    "/health": { get: {} },\n  },\n}\n',
        'server/routes.js':
          'const express = require("express")\nconst health = require("./health")\nconst apiRouter = express.Router()\napiRouter.use("/health", health)\nmodule.exports = { api: apiRouter }\n',
        'server/health.js': 'module.exports = (req, res) => res.send("ok")\n',
        'server/server.js':
          'const routes = require("./routes")\nconst app = require("express")()\napp.use("/api/v2", routes.api)\napp.use("/api", routes.api)\napp.listen(3000)\n',
      }),
    ).toEqual({
      route: '/api/health',
      file: 'server/routes.js',
      line: 4,
      mount: { prefix: '/api', file: 'server/server.js', line: 4 },
    })
  })

  it('a route module required inline, or bound to a name, at its mount', () => {
    const route =
      'const router = require("express").Router()\nrouter.get("/healthz", (req, res) => res.end())\nmodule.exports = router\n'
    expect(
      found({ 'routes/health.js': route, 'app.js': 'app.use("/internal", require("./routes/health"))\n' })
        ?.route,
    ).toBe('/internal/healthz')
    expect(
      found({
        'routes/health.js': route,
        'app.js':
          'const healthRoutes = require("./routes/health")\nconst other = require("./routes/other")\napp.use("/v1", healthRoutes)\napp.use("/x", other)\n',
      }),
    ).toMatchObject({ route: '/v1/healthz', mount: { file: 'app.js', line: 3 } })
  })

  it("the app's own registration, or a router nothing mounts under a prefix, answers at its literal", () => {
    expect(found({ 'server.js': 'app.get("/health", (req, res) => res.end())\napp.listen(3000)\n' })).toEqual(
      {
        route: '/health',
        file: 'server.js',
        line: 1,
      },
    )
    expect(
      found({
        'routes.js': 'router.get("/ping", ok)\nmodule.exports = router\n',
        'server.js': 'app.use(require("./routes"))\napp.use("/", other)\n',
      })?.route,
    ).toBe('/ping')
  })
})

describe('an app its framework routes by file', () => {
  it("SvelteKit: its +server file is the route; a path in a list (kener's hooks) or in scripts/ is not", () => {
    const files = {
      'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '2' } }),
      'src/hooks.server.ts': 'const PUBLIC_API_PATHS = ["/api/status", "/api/spec"]\n',
      'scripts/main.ts': 'app.get("/healthcheck", (req, res) => res.send("ok"))\n',
    }
    expect(found(files)).toBeUndefined()
    expect(
      found({
        ...files,
        'src/routes/(api)/api/health/+server.ts': 'export const GET = () => new Response("ok")\n',
      }),
    ).toEqual({
      route: '/api/health',
      file: 'src/routes/(api)/api/health/+server.ts',
      line: 1,
    })
  })

  it('Next: app/api/health/route.ts is /api/health', () => {
    expect(
      found({
        'package.json': JSON.stringify({ dependencies: { next: '15' } }),
        'app/api/health/route.ts': 'export function GET() { return Response.json({ ok: true }) }\n',
      })?.route,
    ).toBe('/api/health')
  })
})

describe('a Fastify plugin registered under a prefix', () => {
  it('the route the plugin registers on its own `fastify` answers under `register(plugin, { prefix })`', () => {
    expect(
      found({
        'src/routes/health-check.router.ts':
          'export default (async (fastify) => {\n  fastify.get("/healthcheck", { handler: async () => ({ ok: true }) })\n})\n',
        'src/server.ts':
          'import Fastify from "fastify"\nimport healthCheckRouter from "#routes/health-check.router.ts"\nconst app = Fastify()\napp.register(healthCheckRouter, { prefix: "/api" })\napp.listen({ port: 8000 })\n',
      }),
    ).toEqual({
      route: '/api/healthcheck',
      file: 'src/routes/health-check.router.ts',
      line: 2,
      mount: { prefix: '/api', file: 'src/server.ts', line: 4 },
    })
  })
})
