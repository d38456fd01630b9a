// What init writes for a Node app: the dev server's port from the entry file when nothing else
// says it, and a database step validate accepts when no migrate command is known.
import { describe, expect, it } from 'vitest'
import { schemaComment } from '../../src/commands/schema.js'
import { detect } from '../../src/init/detect.js'
import { planInit } from '../../src/init/plan.js'
import { parseRecipe } from '../../src/recipe/parse.js'
import { tempRepo } from '../helpers.js'

describe('the Node dev server', () => {
  it("takes `const PORT = 8080` from the file the dev script runs, not express's default", () => {
    const dir = tempRepo({
      'package.json': JSON.stringify({
        scripts: { dev: 'nodemon index.js' },
        dependencies: { express: '4' },
      }),
      'index.js': "const app = require('./express/app')\nconst PORT = 8080\napp.listen(PORT)\n",
    })
    const restart = detect(dir, { dockerRuns: () => false }).steps.find((s) => s.type === 'restart')
    expect(restart?.config).toMatchObject({ start: 'npm run dev', health: 'http://127.0.0.1:8080/' })
    expect(restart?.why).toContain('port 8080 from index.js')
  })

  it('a script that runs the server under a watcher, whatever its name, before `serve` of a build', () => {
    // The shape of javieraviles/node-typescript-koa-rest: `serve` runs dist/, `watch-server` is the dev loop.
    const dir = tempRepo({
      'package.json': JSON.stringify({
        scripts: {
          'watch-test': 'nodemon --exec "npm test"',
          'watch-server': 'nodemon --watch src -e ts --exec ts-node ./src/server.ts',
          build: 'tsc',
          serve: 'node dist/server.js',
        },
        dependencies: { koa: '2' },
      }),
      'src/server.ts': 'app.listen(3000)\n',
    })
    const restart = detect(dir, { dockerRuns: () => false }).steps.find((s) => s.type === 'restart')
    expect(restart?.config).toMatchObject({ start: 'npm run watch-server' })
    expect(detect(dir, { dockerRuns: () => false }).steps.some((s) => s.slot === 'run: Build')).toBe(false)
  })

  it('a `dev` that only rebuilds the front-end bundle (`webpack --watch`) is no dev server: `start` runs the app', () => {
    // The shape of codimd: `dev` is webpack's watch; the server is `npm start`.
    const dir = tempRepo({
      'package.json': JSON.stringify({
        scripts: { dev: 'webpack --config webpack.dev.js --progress --watch', start: 'node app.js' },
        dependencies: { express: '4' },
      }),
      'app.js': "require('express')().listen(3000)\n",
    })
    const restart = detect(dir, { dockerRuns: () => false }).steps.find((s) => s.type === 'restart')
    expect(restart?.config).toMatchObject({ start: 'npm start', health: 'http://127.0.0.1:3000/' })
  })

  it('a database client whose settings init cannot read is named in the notes, not passed over in silence', () => {
    // The shape of lin-cms-koa: Sequelize built from the app's own config library.
    const dir = tempRepo({
      'package.json': JSON.stringify({
        scripts: { 'start:dev': 'nodemon app/starter.js' },
        dependencies: { koa: '2', sequelize: '6', mysql2: '3' },
      }),
      'app/starter.js':
        "const { config } = require('./lib/config')\nnew (require('sequelize'))(config.getItem('db.database'))\n",
    })
    const { notes, steps } = detect(dir, { dockerRuns: () => false })
    expect(steps.some((s) => s.type === 'database')).toBe(false)
    expect(notes).toContain(
      'database: the app depends on sequelize, mysql2 (package.json), but init found no database settings it could read: if it needs a database, add `service:` and `database:` steps with its URL (`devsetup add database`)',
    )
  })

  it('a migrations folder with no command to apply it (TypeORM, no script) still gives a recipe validate accepts, and a note', async () => {
    const dir = tempRepo({
      'package.json': JSON.stringify({ dependencies: { typeorm: '0.2', pg: '8' } }),
      '.env.example': 'DATABASE_URL=postgres://app@localhost:5432/app\n',
      'src/database/migrations/1600000000000-Init.ts': 'export class Init1600000000000 {}\n',
    })
    const { rendered, detection } = await planInit(dir, {
      schemaLine: schemaComment,
      command: 'devsetup',
      dockerRuns: () => false,
    })
    expect(() => parseRecipe(`${dir}/devsetup.yml`, rendered.text, {})).not.toThrow()
    expect(rendered.text).not.toContain('migrations:')
    expect(detection.notes).toContain(
      'src/database/migrations holds migrations, but no command that applies them was found: add `migrate:` (and `migrations: src/database/migrations/**`) to the database step',
    )
  })
})
