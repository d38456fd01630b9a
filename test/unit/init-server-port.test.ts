// The port init health-checks is the one the app's server listens on: read from the server's own
// code and the env files it loads, through dev-script chains, never a framework's habit.
import { describe, expect, it } from 'vitest'
import { chainLeaves } from '../../src/init/dev-chain.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'
import { restartOf } from '../init-restart.js'

const pkg = (scripts: Record<string, string>, dependencies: Record<string, string> = {}, more = {}) =>
  JSON.stringify({ name: 'app', private: true, scripts, dependencies, ...more })

describe('the commands a dev script runs', () => {
  it('follows npm run and concurrently / run-p into scripts; skips option values and other folders', () => {
    const repo = new RepoProbe(
      tempRepo({
        'package.json': pkg({
          dev: 'concurrently -n "api,web" -c "blue,green" "npm run dev:api" "npm:dev:web" "cd admin && npm start"',
          'dev:api': 'cross-env NODE_ENV=development nodemon src/api.js',
          'dev:web': 'run-p web:* ',
          'web:vite': 'vite',
          'web:css': 'tailwindcss --watch',
          client: 'npm start --prefix client',
        }),
      }),
    )
    const leaves = chainLeaves(repo, repo.nodeScripts().dev!)
    expect(leaves.map((l) => l.command)).toEqual([
      'cross-env NODE_ENV=development nodemon src/api.js',
      'vite',
      'tailwindcss --watch',
    ])
    expect(leaves[0]!.via).toEqual(['dev:api'])
    expect(chainLeaves(repo, 'npm run client')).toEqual([])
  })

  it('a command after `cd backend &&` runs in that folder, and its port is read there', () => {
    const files = {
      'package.json': pkg({ 'start-server': 'cd backend && nodemon --inspect server.js' }, { express: '4' }),
      'src/index.jsx': 'createRoot(document.body)\n',
      'backend/server.js': "const app = require('express')()\nconst PORT = 3000\napp.listen(PORT)\n",
    }
    const repo = new RepoProbe(tempRepo(files))
    expect(chainLeaves(repo, repo.nodeScripts()['start-server']!)).toEqual([
      { command: 'nodemon --inspect server.js', via: [], cwd: 'backend' },
    ])
    expect(chainLeaves(repo, 'cd missing && node x.js')).toEqual([])
    const { config, why } = restartOf({
      ...files,
      'package.json': pkg(
        { dev: 'npm run start-server', 'start-server': 'cd backend && nodemon --inspect server.js' },
        { express: '4' },
      ),
    })
    expect(config?.health).toBe('http://127.0.0.1:3000/')
    expect(why).toContain('backend/server.js:2')
  })
})

describe('the port of the dev server', () => {
  it('a framework CLI that starts the server gives its own default port (egg-bin dev: 7001), a flag beats it', () => {
    const egg = (dev: string) =>
      restartOf({ 'package.json': pkg({ dev }, { egg: '4' }, { devDependencies: { 'egg-bin': '6' } }) })
    expect(egg('egg-bin dev').config?.health).toBe('http://127.0.0.1:7001/')
    expect(egg('egg-bin dev --port 7100').config?.health).toBe('http://127.0.0.1:7100/')
  })

  it('health-checks the API server of a chain that also runs a front end, not vite', () => {
    const { config, why } = restartOf({
      'package.json': pkg(
        {
          dev: 'concurrently "npm run dev-server" "npm run dev-client"',
          'dev-server': 'nodemon server/index.js',
          'dev-client': 'vite',
        },
        { express: '4' },
        { devDependencies: { vite: '5' } },
      ),
      'vite.config.js':
        'export default { server: { port: 3000, proxy: { "/api": "http://localhost:4800" } } }\n',
      'server/index.js':
        "const app = require('express')()\nconst PORT = process.env.PORT || 4800\napp.listen(PORT)\n",
    })
    expect(config).toMatchObject({ health: 'http://127.0.0.1:${PORT:-4800}/' })
    expect(why).toContain('port 4800 from server/index.js:2')
    expect(why).toContain('not vite beside it')
  })

  it("a vite-only app: the config's server.port, also as `process.env.PORT || N`", () => {
    const { config, why } = restartOf({
      'package.json': pkg(
        { dev: 'vite --config ./config/vite.config.ts' },
        {},
        { devDependencies: { vite: '5' } },
      ),
      'config/vite.config.ts':
        'export default {\n  server: {\n    host: true,\n    port: Number(process.env.PORT) || 4173,\n  },\n}\n',
    })
    expect(config).toMatchObject({ health: 'http://127.0.0.1:${PORT:-4173}/' })
    expect(why).toContain('config/vite.config.ts:4 (PORT set in no env file)')
  })

  it("vite's `server: { port }` shorthand, not a test runner's port elsewhere in the config", () => {
    const { config, why } = restartOf({
      'package.json': pkg({ dev: 'vite dev' }, {}, { devDependencies: { vite: '5' } }),
      'vite.config.ts':
        'export default defineConfig(() => {\n  const port = Number(process.env.PORT) || 3300\n  return {\n    server: { host: true, port },\n    test: { browser: { api: { port: 5180 } } },\n  }\n})\n',
    })
    expect(config).toMatchObject({ health: 'http://127.0.0.1:${PORT:-3300}/' })
    expect(why).toContain('vite.config.ts:2')
  })

  it('any variable the code reads for its port, with its value from the example env as the default: `${GATEWAY_HTTP_PORT:-7070}`', () => {
    const { config, why } = restartOf({
      'package.json': pkg({ dev: 'tsx watch src/main.ts' }, { fastify: '5' }),
      '.env.example': 'GATEWAY_HTTP_PORT=7070\nDB_PORT=5433\n',
      'src/main.ts': "import { db } from './db'\nimport { start } from './server'\nstart(db)\n",
      'src/db.ts': 'export const db = { port: Number(process.env.DB_PORT ?? 5432) }\n',
      'src/server.ts':
        'export const start = (app) => app.listen({ port: Number(process.env.GATEWAY_HTTP_PORT ?? 3000) })\n',
    })
    expect(config).toMatchObject({ health: 'http://127.0.0.1:${GATEWAY_HTTP_PORT:-7070}/' })
    expect(why).toContain('GATEWAY_HTTP_PORT=7070 in .env.example:1, read at src/server.ts:1')
  })

  it("node-config's port behind app.get('port'), with no `config` dependency, overlaid from the env", () => {
    const { config, why } = restartOf({
      'package.json': pkg({ dev: 'nodemon -x ts-node src/index.ts' }, { '@feathersjs/configuration': '5' }),
      'config/default.json': '{\n  "host": "localhost",\n  "port": 3030\n}\n',
      'config/custom-environment-variables.json': '{ "port": "PORT" }\n',
      '.env.example': 'PORT=4040\n',
      'src/index.ts': "import { app } from './app'\nconst port = app.get('port')\napp.listen(port)\n",
      'src/app.ts': 'export const app = {}\n',
    })
    expect(config).toMatchObject({ health: 'http://127.0.0.1:4040/' })
    expect(why).toContain('PORT in .env.example')
  })

  it("a framework's default port only when its own CLI starts the server, not a devDependency's", () => {
    const medusa = restartOf({
      'package.json': pkg(
        { dev: 'medusa develop' },
        { '@medusajs/medusa': '2' },
        { devDependencies: { vite: '5' } },
      ),
    })
    expect(medusa.config).toMatchObject({ health: 'http://127.0.0.1:9000/health' })
    const express = restartOf({
      'package.json': pkg(
        { dev: 'node --watch app.js' },
        { express: '4' },
        { devDependencies: { vite: '5' } },
      ),
      'app.js':
        "const app = require('express')()\nconst settings = require('./settings.json')\napp.listen(settings.listen)\n",
    })
    expect(express.config).toEqual({ start: 'npm run dev' })
    expect(express.why).toContain('port not determined')
    expect(express.notes.join('\n')).toMatch(
      /port: could not determine the port of `npm run dev` \(looked at app\.js and .*app\.js:3 listens on settings\.listen.*\); `up` waits until the server listens and says which port/,
    )
  })

  it("NestJS: nest-cli.json's entry, not package.json main", () => {
    const { config, why } = restartOf({
      'package.json': pkg(
        { 'start:dev': 'nest start --watch' },
        { '@nestjs/core': '11' },
        { main: 'index.js' },
      ),
      'nest-cli.json': '{ "sourceRoot": "server", "entryFile": "boot" }',
      'index.js': 'module.exports = require("./dist/boot")\n',
      'server/boot.ts':
        "async function bootstrap() {\n  const app = await NestFactory.create(AppModule)\n  app.setGlobalPrefix('api')\n  await app.listen(3400)\n}\n",
    })
    expect(config).toMatchObject({ health: 'http://127.0.0.1:3400/' })
    expect(why).toContain('server/boot.ts:4')
  })
})
