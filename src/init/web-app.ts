// Whether the repository is a web app — one `init` must find a dev server for. When it finds
// none, the recipe must not end green with no app: it ends with a step doctor shows as unmet.
import type { DetectedStep } from './provider.js'
import type { RepoProbe } from './repo.js'
import { memberDependencies } from './workspace-members.js'

export const nodeFrameworks = [
  'express',
  'fastify',
  'koa',
  '@nestjs/core',
  'next',
  'nuxt',
  'hono',
  '@hapi/hapi',
  '@adonisjs/core',
  'sails',
  'restify',
  '@remix-run/dev',
  'astro',
  '@sveltejs/kit',
]
const rubyFrameworks = /^\s*gem ['"](rails|sinatra|hanami|roda)['"]/m
const pythonFrameworks = /^(django|flask|fastapi|starlette|pyramid|tornado)\b/im
const goFrameworks = /(gin-gonic\/gin|labstack\/echo|go-chi\/chi|gofiber\/fiber|gorilla\/mux)/

/** Why this looks like a web app (the framework it depends on), or undefined. */
export function webAppSign(repo: RepoProbe): string | undefined {
  const deps = repo.nodeDependencies()
  const node = nodeFrameworks.find((d) => deps[d] !== undefined)
  if (node) return `package.json depends on ${node}`
  // A workspaces root's app is its members' (apps/api's express), not the root's own dependencies.
  for (const { folder, deps } of memberDependencies(repo)) {
    const inMember = nodeFrameworks.find((d) => deps[d] !== undefined)
    if (inMember) return `${folder}/package.json depends on ${inMember}`
  }
  const ruby = rubyFrameworks.exec(repo.read('Gemfile') ?? '')?.[1]
  if (ruby) return `the Gemfile has ${ruby}`
  const python = pythonFrameworks.exec(
    `${repo.read('requirements.txt') ?? ''}\n${repo.read('pyproject.toml') ?? ''}`,
  )
  if (python) return `the Python requirements have ${python[1]}`
  const go = goFrameworks.exec(repo.read('go.mod') ?? '')?.[1]
  if (go) return `go.mod requires ${go}`
  return undefined
}

/** The last step of a web app's recipe when init found no dev server: unmet until a person writes the real one. */
export function missingServerStep(sign: string): DetectedStep {
  const message = `init found no dev server for this app (${sign}): replace this step with a restart step, e.g. devsetup add restart start=<dev command> health=http://127.0.0.1:<port>/`
  return {
    slot: 'run: Dev server',
    type: 'run',
    config: undefined,
    flat: {
      name: 'Dev server (not found by init)',
      run: `echo ${JSON.stringify(message)} >&2; exit 1`,
      check: 'exit 1',
    },
    why: `no dev server found, yet ${sign}`,
  }
}
