// Which of a Node package's scripts does what — the dev server's, the migrate's — and the package
// manager that runs them: read the same way for the repository's root and for a workspace member
// (workspace-members.ts), so a member's `dev` is chosen by the rule the root's is.
import type { RepoProbe } from './repo.js'

export function nodeRunner(repo: RepoProbe): string {
  if (repo.has('pnpm-lock.yaml')) return 'pnpm'
  if (repo.has('yarn.lock')) return 'yarn'
  return repo.has('bun.lock') || repo.has('bun.lockb') ? 'bun run' : 'npm run'
}

const migrateScripts = [
  'db:migrate',
  'database:migrate',
  'migrate',
  'migrate:latest',
  'migration:latest',
  'migration:run',
  'migrations:run',
  'typeorm:migration:run',
  'db:migrate:latest',
  'knex:migrate',
  'prisma:migrate',
]

/** The script that applies the project's migrations (`db:migrate`, `migrate`, ...), if any. */
export function migrateScriptName(scripts: Record<string, string>): string | undefined {
  return migrateScripts.find((n) => scripts[n] !== undefined)
}

/** The folder holding migrations: src/database/migrations, migrations, db/migrations, ... */
export function findMigrationsDir(repo: RepoProbe): string | undefined {
  const known = [
    'migrations',
    'db/migrations',
    'src/migrations',
    'src/database/migrations',
    'src/db/migrations',
    'database/migrations',
    'server/migrations',
    'src/migration',
  ]
  const direct = known.find((d) => repo.isDir(d))
  if (direct) return direct
  // One level deeper under src/ (src/<module>/migrations).
  for (const dir of repo.list('src')) if (repo.isDir(`src/${dir}/migrations`)) return `src/${dir}/migrations`
  return undefined
}

// Watchers and dev modes first; `start:prod` and friends need a build and serve production.
const devScripts = [
  'dev',
  'start:dev',
  'develop',
  'dev:server',
  'server:dev',
  'start:development',
  'serve',
  'start',
]
// A script that runs the server under a watcher is the dev server whatever its name
// (`watch-server`: nodemon + ts-node), before `serve`/`start`, which often serve a build.
const watcher = /\b(nodemon|ts-node-dev|tsnd|tsx watch|node --watch|nest start --watch|babel-watch)\b/
const notServer = /test|lint|build|css|style|doc|storybook|e2e|spec|types?\b/i

function watcherScript(scripts: Record<string, string>): string | undefined {
  return Object.keys(scripts).find((n) => !notServer.test(n) && watcher.test(scripts[n]!))
}

// A bundler or compiler that only rebuilds on change serves nothing (codimd's `dev` is `webpack
// --watch`; its server is `npm start`): such a script is no dev server, whatever its name.
const buildWatchOnly =
  /^(?:npx\s+)?(?:webpack(?:-cli)?(?!\s+serve)|rollup|esbuild|tsc|babel|parcel\s+watch|gulp|grunt)\b(?:(?!&&|\|\||;|\bserve\b).)*(?:--watch|\s-w)\b(?:(?!&&|\|\||;).)*$/

/** The script that runs the dev server: `dev`, `start:dev`, ..., a watcher's, then `serve`/`start`. */
export function devScriptName(scripts: Record<string, string>): string | undefined {
  const runs = (n: string) => scripts[n] !== undefined && !buildWatchOnly.test(scripts[n]!.trim())
  return devScripts.slice(0, -2).find(runs) ?? watcherScript(scripts) ?? devScripts.slice(-2).find(runs)
}
