// A migrate that needs files from a gitignored build folder a package script produces: the
// build runs first, as a `run` step before the database step, a no-op while its output exists.
import { describe, expect, it } from 'vitest'
import { buildBeforeMigrate } from '../../src/init/build-first.js'
import type { DetectedStep } from '../../src/init/provider.js'
import { bootFilesSteps } from '../../src/init/providers/adonis-boot.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

const database = (config: Record<string, string>): DetectedStep => ({
  slot: 'database',
  type: 'database',
  config: { engine: 'postgres', ...config },
  why: '',
})
const dependencies: DetectedStep = { slot: 'dependencies', type: 'dependencies', config: undefined, why: '' }
const pkg = (scripts: Record<string, string>) => JSON.stringify({ scripts })
const plan = (files: Record<string, string>, steps: DetectedStep[]) => {
  buildBeforeMigrate(new RepoProbe(tempRepo(files)), steps)
  return steps.map((s) => (s.flat ? { ...s.flat, why: s.why } : s.slot))
}

const shellsOut = `const path = require('path')
module.exports = { up() {
  const script = path.join(
    process.cwd(),
    "build",
    \`server/scripts/\${path.basename(__filename)}\`
  )
} }`

describe('buildBeforeMigrate', () => {
  it("a migration that runs a script from the built server: that folder's own build script, before the database", () => {
    const files = {
      '.gitignore': 'node_modules\n/build\n',
      'package.json': pkg({
        build: 'vite build && yarn build:server',
        'build:server': 'node build.js',
        'db:migrate': 'sequelize db:migrate',
      }),
      'yarn.lock': '',
      'server/migrations/001-create.js': 'module.exports = { up() {} }',
      'server/migrations/002-backfill.js': shellsOut,
    }
    const steps = [dependencies, database({ migrate: 'yarn db:migrate', migrations: 'server/migrations/**' })]
    expect(plan(files, steps)).toEqual([
      'dependencies',
      {
        name: 'Build',
        run: 'yarn build:server',
        creates: 'build/server',
        inputs: [
          'server/**',
          'package.json',
          'yarn.lock',
          '!**/*.{test,spec}.*',
          '!**/{__tests__,__mocks__}/**',
        ],
        why: 'server/migrations/002-backfill.js:5 needs build/server/, which `yarn build:server` builds (gitignored): built before the database step',
      },
      'database',
    ])
  })

  it("a config whose migrations are the compiled ones (dist/migrations/*.js): the build that writes dist; the dev server's own build moves instead of running twice", () => {
    const files = {
      '.gitignore': 'dist/\n',
      'package.json': pkg({
        build: 'tsc',
        start: 'node dist/main.js',
        'migration:run': 'typeorm migration:run -d src/data-source.ts',
      }),
      'src/data-source.ts':
        "export default new DataSource({ type: 'postgres', migrations: ['dist/migrations/*.js'] })",
    }
    const serverBuild: DetectedStep = {
      slot: 'run: Build',
      type: 'run',
      config: undefined,
      flat: { name: 'Build', run: 'npm run build', creates: 'dist', inputs: ['src/**'] },
      why: 'the start script serves the build (dist)',
    }
    const restart: DetectedStep = { slot: 'restart', type: 'restart', config: {}, why: '' }
    const steps = [dependencies, database({ migrate: 'npm run migration:run' }), serverBuild, restart]
    expect(plan(files, steps)).toEqual([
      'dependencies',
      {
        name: 'Build',
        run: 'npm run build',
        creates: 'dist',
        inputs: ['src/**'],
        why: 'the start script serves the build (dist)',
      },
      'database',
      'restart',
    ])
    expect(serverBuild.orderAs).toBe('service')
  })

  it('nothing when the folder is not gitignored, is no path, or no package script builds it', () => {
    const migration = { 'migrations/001.js': shellsOut }
    const migrate = () => [database({ migrate: 'npx sequelize-cli db:migrate', migrations: 'migrations/**' })]
    const built = { 'package.json': pkg({ 'build:server': 'node build.js' }) }
    expect(plan({ ...migration, ...built }, migrate())).toEqual(['database'])
    expect(plan({ ...migration, '.gitignore': 'build\n', 'package.json': pkg({}) }, migrate())).toEqual([
      'database',
    ])
    const word = {
      'migrations/001.js': "module.exports = { up: (q) => q.bulkInsert('jobs', [{ kind: 'build' }]) }",
    }
    expect(plan({ ...word, '.gitignore': 'build\n', ...built }, migrate())).toEqual(['database'])
    // serpbear: `path.resolve('database', 'config.js')` names the folder database/, not the ignored data/.
    const longer = {
      '.sequelizerc':
        "const path = require('path')\nmodule.exports = { config: path.resolve('database', 'config.js') }\n",
      '.gitignore': 'data/\n',
      'package.json': pkg({ build: 'next build' }),
    }
    expect(plan(longer, migrate())).toEqual(['database'])
  })
})

describe('Adonis: a file the providers read at boot, written by an app command', () => {
  const app = (over: Record<string, string> = {}) =>
    bootFilesSteps(
      new RepoProbe(
        tempRepo({
          'adonisrc.ts':
            "export default defineConfig({ providers: [() => import('@adonisjs/core/providers/app_provider'), () => import('./providers/catalog_provider.js')] })",
          '.gitignore': 'node_modules\nbuild\ntmp\n',
          'providers/catalog_provider.ts':
            "import x from 'y'\n\nconst file = join(getDirname(import.meta.url), '../catalog/build/recipes.json')\n",
          'commands/add_recipe.ts':
            "static commandName = 'add:recipe'\n#dir = join(getDirname(import.meta.url), '../catalog')\n",
          'commands/build_catalog.ts':
            "static commandName = 'build:catalog'\n#out = join(getDirname(import.meta.url), '../catalog/build/')\n",
          ...over,
        }),
      ),
    ).map((s) => ({ ...s.flat, why: s.why }))

  it('runs that command before the database, once (creates:)', () => {
    expect(app()).toEqual([
      {
        name: 'node ace build:catalog',
        run: 'node ace build:catalog',
        creates: 'catalog/build/recipes.json',
        why: 'providers/catalog_provider.ts:3 reads catalog/build/recipes.json at boot (every ace command, migrate too), which commands/build_catalog.ts writes (gitignored)',
      },
    ])
  })

  it('nothing when the file is committed, its folder is not ignored, or only a parent folder is named by a command', () => {
    expect(app({ 'catalog/build/recipes.json': '[]' })).toEqual([])
    expect(app({ '.gitignore': 'node_modules\n' })).toEqual([])
    expect(app({ 'commands/build_catalog.ts': "static commandName = 'build:catalog'\n" })).toEqual([])
  })
})
