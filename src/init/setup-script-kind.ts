// Which package scripts are a one-time setup, as opposed to what the recipe does otherwise (the
// dev server, tests, a deployment): by the script's name, its body, and what the file it runs does.
import path from 'node:path'
import type { RepoProbe } from './repo.js'

// What the recipe does otherwise, or what is not setup: the dev server, tests, deployment.
const devServerName = /^(dev|start|serve|watch|develop)([:_-](dev|server|client|api|all|local|watch))?$/
const notSetupName =
  /(^|[:_-])(test|tests|e2e|lint|format|prettier|typecheck|prod|production|deploy|docker|release|publish|coverage|storybook|clean|migrate|migration|migrations|seed|db|database|push|studio)([:_-]|$)/
// The database step's work (a schema push, a migration tool), or a generator that asks questions
// (plop, hygen, yo, `nest g`): never a one-time setup `up` can run unattended.
const notSetupBody =
  /\b(drizzle-kit|prisma\s+(db|migrate)|knex\s+migrate|sequelize(-cli)?\s+db:|typeorm\s+(migration|schema)|plop|hygen|yo\s|nest\s+g(enerate)?\b)/
// (`vite` with no subcommand, or flags only, serves: `vite --host --config x`; `vite build` does not.)
const serverBody =
  /\b(?:nodemon|concurrently|ts-node-dev|node --watch|tsx watch|webpack serve|react-scripts start|next dev|nuxt dev|ng serve|docker|NODE_ENV=production)\b|--omit[= ]dev\b|\bvite(?=\s*$|\s+-|\s*&&|\s+serve\b|\s+dev\b)/
// A formatter or linter rewrites or judges the app's files: never a setup (`fmt: prettier --write`).
const checksBody = /\b(?:prettier|eslint|biome|stylelint|tsc --noEmit|vue-tsc)\b/

export function scriptsOf(repo: RepoProbe, folder: string): Record<string, string> {
  const pkg = repo.json(folder ? `${folder}/package.json` : 'package.json')
  return (pkg?.scripts as Record<string, string> | undefined) ?? {}
}

/** Whether a package script the README runs is a one-time setup: not the server, a test, a deploy... */
export function isOneTimeSetup(repo: RepoProbe, folder: string, script: string): boolean {
  const body = scriptsOf(repo, folder)[script] ?? ''
  return (
    !devServerName.test(script) &&
    !notSetupName.test(script) &&
    !serverBody.test(body) &&
    !notSetupBody.test(body) &&
    !checksBody.test(body) &&
    !runsAServer(repo, folder, body)
  )
}

/**
 * `cd backend && node server.js` (Jellystat's `start-app`): a script that runs a file which
 * listens is the app's server under another name, never a one-time setup: as a `run` step it
 * would never exit.
 */
function runsAServer(repo: RepoProbe, folder: string, body: string): boolean {
  let here = folder
  for (const part of body.split(/\s*(?:&&|;)\s*/)) {
    const cd = /^cd\s+(\S+)$/.exec(part)
    if (cd) here = path.posix.join(here, cd[1]!)
    // `cross-env NODE_ENV=development node server/server.js`: the env prefix runs the same file.
    const command = part.replace(/^(?:(?:npx\s+)?cross-env\s+|[A-Z_][A-Z0-9_]*=\S*\s+)+/, '')
    const file = /^(?:node|ts-node|tsx|bun)\s+(?:--?[\w-]+(?:=\S+)?\s+)*([\w./-]+)/.exec(command)?.[1]
    if (!file) continue
    const base = path.posix.join(here, file)
    const found = [base, `${base}.js`, `${base}.ts`, `${base}/index.js`].find(
      (f) => repo.has(f) && !repo.isDir(f),
    )
    if (found && /\.listen\(|\bcreateServer\(/.test(repo.read(found) ?? '')) return true
  }
  return false
}
