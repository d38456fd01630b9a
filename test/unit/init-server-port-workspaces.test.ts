// A dev script that is a task runner (`turbo dev`, `pnpm --filter api run dev`, …) runs the
// scripts of workspace packages: init follows each into its package's folder and health-checks the
// API server there, not the front end beside it; the restart's start stays the root script.
import { describe, expect, it } from 'vitest'
import { chainLeaves } from '../../src/init/dev-chain.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'
import { restartOf } from '../init-restart.js'

const json = (value: unknown) => JSON.stringify(value, null, 2)
const pkg = (name: string, scripts: Record<string, string>, more: Record<string, unknown> = {}) =>
  json({ name, private: true, scripts, ...more })

// A monorepo in the shape of turbo's starter: an API (Nest), a vite UI, a library that only compiles.
const monorepo = (root: Record<string, unknown>, extra: Record<string, string> = {}) => ({
  'package.json': json({ name: 'mono', private: true, ...root }),
  'apps/api/package.json': pkg(
    '@mono/api',
    { dev: 'nest start --watch' },
    { dependencies: { '@nestjs/core': '11' } },
  ),
  'apps/api/nest-cli.json': json({ sourceRoot: 'src' }),
  'apps/api/src/main.ts':
    "import { NestFactory } from '@nestjs/core'\nasync function boot() {\n  const app = await NestFactory.create({})\n  const port = process.env.API_PORT || 4100\n  await app.listen(port)\n}\nboot()\n",
  'apps/api/src/health.controller.ts': "@Controller('/api/health')\nexport class Health {}\n",
  'apps/api/.env.example': 'API_PORT=4200\n',
  'apps/web/package.json': pkg('@mono/web', { dev: 'vite' }, { devDependencies: { vite: '5' } }),
  'apps/web/vite.config.ts': 'export default { server: { port: 3000 } }\n',
  'apps/web/src/main.ts': "fetch('/api/health')\n",
  'packages/lib/package.json': pkg('@mono/lib', { dev: 'tsc --watch' }),
  ...extra,
})

const apiHealth = 'http://127.0.0.1:${API_PORT:-4200}/api/health'

describe('task runners are followed into the workspace packages they run', () => {
  it('turbo dev: every package with a dev script; the API in its folder, its env file and health route, not vite', () => {
    const files = monorepo({ workspaces: ['apps/*', 'packages/*'], scripts: { dev: 'turbo dev' } })
    const repo = new RepoProbe(tempRepo(files))
    expect(chainLeaves(repo, 'turbo dev')).toEqual([
      { command: 'nest start --watch', via: ['dev'], workspace: 'apps/api', runner: 'turbo dev' },
      { command: 'vite', via: ['dev'], workspace: 'apps/web', runner: 'turbo dev' },
      { command: 'tsc --watch', via: ['dev'], workspace: 'packages/lib', runner: 'turbo dev' },
    ])
    const { config, why } = restartOf(files)
    expect(config?.start).toBe('npm run dev')
    expect(config?.health).toBe(apiHealth)
    expect(why).toContain('API_PORT=4200 in apps/api/.env.example:1, read at apps/api/src/main.ts:4')
    expect(why).toContain(
      'the server `nest start --watch` (apps/api scripts.dev, via `turbo dev`), not vite beside it',
    )
    expect(why).toContain('health route /api/health (apps/api/src/health.controller.ts:1)')
  })

  it('turbo run dev --filter: only the packages the filter selects (by name, by folder)', () => {
    const byName = monorepo({
      workspaces: ['apps/*', 'packages/*'],
      scripts: { dev: 'turbo run dev --filter=@mono/web' },
    })
    expect(restartOf(byName).config?.health).toBe('http://127.0.0.1:3000/')
    const byFolder = monorepo({
      workspaces: ['apps/*', 'packages/*'],
      scripts: { dev: 'npx turbo dev -F ./apps/api' },
    })
    expect(restartOf(byFolder).config?.health).toBe(apiHealth)
  })

  it('pnpm --filter X run dev and pnpm -r dev, with the packages of pnpm-workspace.yaml', () => {
    const ws = { 'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/*\n' }
    const filtered = monorepo({ scripts: { dev: 'pnpm --filter @mono/api run dev' } }, ws)
    expect(restartOf(filtered).config?.health).toBe(apiHealth)
    expect(restartOf(filtered).why).toContain('via `pnpm --filter @mono/api run dev`')
    const short = monorepo({ scripts: { dev: 'pnpm -F "@mono/web" dev' } }, ws)
    expect(restartOf(short).config?.health).toBe('http://127.0.0.1:3000/')
    const all = monorepo({ scripts: { dev: 'pnpm -r --parallel run dev' } }, ws)
    expect(restartOf(all).config?.health).toBe(apiHealth)
  })

  it('npm run dev -w X / --workspace=folder, and npm run dev --workspaces', () => {
    const root = (dev: string) => monorepo({ workspaces: ['apps/*', 'packages/*'], scripts: { dev } })
    expect(restartOf(root('npm run dev -w @mono/api')).config?.health).toBe(apiHealth)
    expect(restartOf(root('npm run dev --workspace=apps/web')).config?.health).toBe('http://127.0.0.1:3000/')
    expect(restartOf(root('npm run dev --workspaces --if-present')).config?.health).toBe(apiHealth)
  })

  it('yarn workspace X dev and yarn workspaces foreach -Apiv run dev', () => {
    const root = (dev: string) =>
      monorepo({ workspaces: { packages: ['apps/*', 'packages/*'] }, scripts: { dev } })
    expect(restartOf(root('yarn workspace @mono/api dev')).config?.health).toBe(apiHealth)
    expect(restartOf(root('yarn workspace @mono/web run dev')).config?.health).toBe('http://127.0.0.1:3000/')
    expect(restartOf(root('yarn workspaces foreach -A -p -i run dev')).config?.health).toBe(apiHealth)
  })

  it('nx run X:serve, nx serve X and nx run-many: a project.json target or the package script', () => {
    const nx = (dev: string) =>
      monorepo(
        { scripts: { dev } },
        {
          'nx.json': '{}',
          'apps/api/project.json': json({
            name: 'api',
            targets: {
              serve: { executor: 'nx:run-commands', options: { command: 'node apps/api/dist/main.js' } },
            },
          }),
        },
      )
    // The run-commands target runs from the workspace root; its port is the project's own code.
    const serve = restartOf(nx('nx run api:serve'))
    expect(serve.why).toContain('via `nx run api:serve`')
    expect(restartOf(nx('nx dev @mono/web')).config?.health).toBe('http://127.0.0.1:3000/')
    expect(restartOf(nx('nx run-many -t dev -p api @mono/web')).config?.health).toBe(apiHealth)
  })

  it('lerna run dev --scope X, with lerna.json packages', () => {
    const lerna = (dev: string) =>
      monorepo({ scripts: { dev } }, { 'lerna.json': json({ packages: ['apps/*'] }) })
    expect(restartOf(lerna('lerna run dev --scope @mono/web --stream')).config?.health).toBe(
      'http://127.0.0.1:3000/',
    )
    expect(restartOf(lerna('lerna run dev --parallel')).config?.health).toBe(apiHealth)
  })

  it('a runner that selects nothing gives no port and says where it looked', () => {
    const { config, notes } = restartOf(
      monorepo({ workspaces: ['apps/*'], scripts: { dev: 'turbo dev --filter=nothing' } }),
    )
    expect(config?.health).toBeUndefined()
    expect(notes.join('\n')).toContain('could not determine the port')
  })
})

describe('following workspaces ends', () => {
  it("a workspace list with the root itself (`packages: ['.', 'apps/*']`) beside `dev: turbo dev`: the root's dev is not run again", () => {
    const files = monorepo(
      { scripts: { dev: 'turbo dev' } },
      { 'pnpm-workspace.yaml': "packages:\n  - '.'\n  - 'apps/*'\n" },
    )
    expect(chainLeaves(new RepoProbe(tempRepo(files)), 'turbo dev')).toEqual([
      { command: 'nest start --watch', via: ['dev'], workspace: 'apps/api', runner: 'turbo dev' },
      { command: 'vite', via: ['dev'], workspace: 'apps/web', runner: 'turbo dev' },
    ])
    const { config, why } = restartOf(files)
    expect(config?.health).toBe(apiHealth)
    expect(why).not.toContain('./.')
    expect(why.length).toBeLessThan(2000)
  })

  it('packages that list each other as workspaces, each dev a `turbo dev` (a → b → a): each script followed once', () => {
    const sibling = (name: string, dev: string) => pkg(name, { dev }, { workspaces: ['../*'] })
    const files = {
      'package.json': pkg('root', { dev: 'turbo dev --filter=a' }, { workspaces: ['apps/*'] }),
      'apps/a/package.json': sibling('a', 'turbo dev'),
      'apps/b/package.json': sibling('b', 'turbo dev & node server.js'),
    }
    const leaves = chainLeaves(new RepoProbe(tempRepo(files)), 'turbo dev --filter=a')
    expect(leaves.map((leaf) => [leaf.command, leaf.workspace])).toEqual([['node server.js', 'apps/a/../b']])
  })
})

describe('a JSON settings file the server reads gives its port', () => {
  const app = (settings: Record<string, string>) => ({
    'package.json': pkg('root', { dev: 'pnpm --filter server-core run dev' }),
    'pnpm-workspace.yaml': 'packages:\n  - core\n',
    'core/package.json': pkg('server-core', {
      dev: 'cross-env NODE_ENV=development node --require tsx/cjs node/server.ts',
    }),
    'core/node/server.ts': "import settings from './settings'\nsettings.server.listen(settings.port)\n",
    'core/node/settings.ts':
      "// reads the settings out of settings.json\nconst file = argv.settings || 'settings.json'\nexport default { port: process.env.PORT || 9001 }\n",
    ...settings,
  })

  it('the file the app reads, from the folder above its package; its example when init copies that', () => {
    const template =
      '{\n  /* the port */\n  "title": "x", // a comment\n  "port": 9100,\n  "db": { "port": 3306 },\n}\n'
    const copied = restartOf(app({ 'settings.json.template': template }))
    expect(copied.config?.health).toBe('http://127.0.0.1:9100/')
    expect(copied.why).toContain(
      '"port" in settings.json.template:4 (copied to settings.json), the settings file core/node/settings.ts:2 reads',
    )
    expect(copied.why).toContain(
      'the server `cross-env NODE_ENV=development node --require tsx/cjs node/server.ts` (core scripts.dev, via `pnpm --filter server-core run dev`)',
    )
    const own = restartOf(
      app({ 'settings.json.template': template, 'settings.json': '{ "port": "${PORT:9200}" }' }),
    )
    expect(own.config?.health).toBe('http://127.0.0.1:${PORT:-9200}/')
  })

  it('no settings file: the default in the code', () => {
    const { config, why } = restartOf(app({}))
    expect(config?.health).toBe('http://127.0.0.1:${PORT:-9001}/')
    expect(why).toContain('core/node/settings.ts:3')
  })
})

describe('runner forms of real monorepos', () => {
  it('`pnpm concurrently "pnpm run client:dev" "pnpm run server:dev"` into `nx run server:start:dev` (a target with a colon)', () => {
    const files = monorepo(
      {
        scripts: {
          dev: 'pnpm concurrently -n "frontend,backend" "pnpm run client:dev" "pnpm run server:dev"',
          'client:dev': 'nx run @mono/web:dev',
          'server:dev': 'nx run @mono/api:start:dev',
        },
      },
      { 'nx.json': '{}', 'pnpm-workspace.yaml': 'packages:\n  - apps/*\n' },
    )
    files['apps/api/package.json'] = pkg('@mono/api', { 'start:dev': 'nest start --watch' })
    const { config, why } = restartOf(files)
    expect(config?.health).toBe(apiHealth)
    expect(why).toContain(
      '(apps/api scripts.start:dev, via `nx run @mono/api:start:dev`), not vite beside it',
    )
  })
})
