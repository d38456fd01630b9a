// The app's own docker compose service as init's source when the repository ships no example env
// file: which service is the app's, its environment as the recipe's env, its healthcheck as the
// restart's health route, and the database its code names. Real files in a temporary repository,
// init's own plan.
import { describe, expect, it } from 'vitest'
import { schemaComment } from '../../src/commands/schema.js'
import { composeApp, serviceEnv } from '../../src/init/compose-app.js'
import { planInit } from '../../src/init/plan.js'
import { RepoProbe } from '../../src/init/repo.js'
import { parseRecipe } from '../../src/recipe/parse.js'
import { tempRepo } from '../helpers.js'

const plan = (dir: string) =>
  planInit(dir, { schemaLine: schemaComment, command: 'devsetup', dockerRuns: () => false })

// The shape of a self-hosted stats app (Jellystat's): the published image, a map `environment:`,
// a wget healthcheck, a backend that reads POSTGRES_DB with a default of its own.
const statsApp = (compose: string = statsCompose, extra: Record<string, string> = {}) =>
  tempRepo({
    'package.json': JSON.stringify({
      name: 'statsd',
      scripts: { 'start-server': 'cd backend && nodemon server.js' },
      dependencies: { express: '4', knex: '3', pg: '8' },
    }),
    'backend/server.js':
      "const express = require('express')\nconst app = express()\napp.use('/auth', require('./routes/auth'))\nconst PORT = 3000\napp.listen(PORT)\n",
    'backend/routes/auth.js': "router.get('/isConfigured', (req, res) => res.send('ok'))\n",
    'backend/db.js':
      "const { Pool } = require('pg')\nconst _DB = process.env.POSTGRES_DB || 'statsdb'\nconst pool = new Pool({\n  host: process.env.POSTGRES_IP,\n  user: process.env.POSTGRES_USER,\n  database: _DB,\n})\n",
    'docker-compose.yml': compose,
    ...extra,
  })

const statsCompose = `services:
  stats-db:
    image: postgres:16
    environment:
      POSTGRES_USER: postgres
      POSTGRES_PASSWORD: mypassword
  stats:
    image: someone/stats:latest
    ports:
      - "3000:3000"
    depends_on:
      stats-db:
        condition: service_healthy
    environment:
      POSTGRES_USER: postgres
      POSTGRES_PASSWORD: mypassword
      POSTGRES_IP: stats-db
      POSTGRES_PORT: 5432
      JWT_SECRET: "my-secret-jwt-key"
      TZ: mytimezone
    healthcheck:
      test: wget --no-verbose --tries=1 --spider http://localhost:3000/auth/isConfigured || exit 1
`

describe("the app's compose service", () => {
  it('is the one that depends on the database and publishes a port; never the database itself', () => {
    const app = composeApp(new RepoProbe(statsApp()))
    expect(app).toMatchObject({ service: 'stats', database: 'stats-db' })
    expect(app?.why).toBe(
      'docker-compose.yml:11 (service stats: depends on stats-db and publishes 3000:3000)',
    )
  })

  it('`build: .` wins over a service that only depends on the database; two that fit equally are no answer', () => {
    const compose = `services:
  db: { image: "mysql:8" }
  worker: { image: "busybox", depends_on: [db], ports: ["9000:9000"] }
  api: { build: ., depends_on: [db] }
`
    expect(composeApp(new RepoProbe(statsApp(compose)))?.why).toContain('service api: build: .')
    const two = `services:
  db: { image: "postgres" }
  api: { build: ., depends_on: [db] }
  jobs: { build: ., depends_on: [db] }
`
    expect(composeApp(new RepoProbe(statsApp(two)))).toBeUndefined()
  })

  it('reads map and list environments; `${X:-d}` gives d, `$$` a dollar, `${X}` and a bare key come from the shell', () => {
    expect(serviceEnv(['A=1', 'B=${B:-two}', 'C=${C}', 'D', 'E=a$$b', 'F=x=y'])).toEqual({
      env: { A: '1', B: 'two', E: 'a$b', F: 'x=y' },
      fromShell: ['C', 'D'],
    })
    expect(serviceEnv({ PORT: 5432, EMPTY: null, URL: 'redis://${H-cache}:6379' })).toEqual({
      env: { PORT: '5432', URL: 'redis://cache:6379' },
      fromShell: ['EMPTY'],
    })
  })
})

describe('init on an app with no example env file', () => {
  it("writes its compose service's env, its healthcheck's route and the database its code names", async () => {
    const { detection, rendered } = await plan(statsApp())
    expect(detection.env).toEqual({
      POSTGRES_USER: 'postgres',
      POSTGRES_PASSWORD: 'mypassword',
      POSTGRES_IP: '127.0.0.1',
      POSTGRES_PORT: '5432',
      JWT_SECRET: '${JWT_SECRET:-my-secret-jwt-key}',
    })
    expect(detection.notes.join('\n')).toContain(
      "TZ=mytimezone in docker-compose.yml:20 is the container's own setting",
    )
    const database = detection.steps.find((s) => s.type === 'database')
    expect(database?.config).toMatchObject({ url: 'postgres://postgres:mypassword@localhost:5432/statsdb' })
    expect(database?.why).toContain(
      "backend/db.js:6 reads its database as process.env.POSTGRES_DB || 'statsdb'",
    )
    const restart = detection.steps.find((s) => s.type === 'restart')
    expect(restart?.config).toMatchObject({ health: 'http://127.0.0.1:3000/auth/isConfigured' })
    expect(restart?.why).toContain("docker-compose.yml:21, service stats's healthcheck")
    expect(rendered.text).toContain("# docker-compose.yml:19: the compose file's sample secret")
    expect(rendered.text).not.toContain('DATABASE_URL')
    expect(parseRecipe('/tmp/devsetup.yml', rendered.text, {}).env).toMatchObject({
      POSTGRES_IP: '127.0.0.1',
    })
  })

  it("a mapped port is the port devsetup's server runs on; a compose host it does not run is named, not written", async () => {
    const compose = statsCompose
      .replace(
        '      POSTGRES_PASSWORD: mypassword\n  stats:',
        '      POSTGRES_PASSWORD: mypassword\n    ports: ["5433:5432"]\n  stats:',
      )
      .replace('      TZ: mytimezone', '      SMTP_HOST: mailpit\n      NODE_ENV: production')
    const { detection } = await plan(statsApp(compose))
    expect(detection.env).toMatchObject({ POSTGRES_IP: '127.0.0.1', POSTGRES_PORT: '5433' })
    expect(detection.env).not.toHaveProperty('SMTP_HOST')
    expect(detection.env).not.toHaveProperty('NODE_ENV')
    const notes = detection.notes.join('\n')
    expect(notes).toContain(
      'SMTP_HOST=mailpit in docker-compose.yml:21 points at `mailpit`, a host that does not exist here',
    )
    expect(notes).toContain("NODE_ENV=production in docker-compose.yml:22 is the image's production mode")
  })

  it('a route the code registers beats the healthcheck; a healthcheck on another port is not the server', async () => {
    const own = await plan(statsApp(statsCompose, { 'backend/health.js': "app.get('/healthz', ok)\n" }))
    expect(own.detection.steps.find((s) => s.type === 'restart')?.config).toMatchObject({
      health: 'http://127.0.0.1:3000/healthz',
    })
    const other = await plan(statsApp(statsCompose.replace('localhost:3000/auth', 'localhost:9100/auth')))
    expect(other.detection.steps.find((s) => s.type === 'restart')?.config).toMatchObject({
      health: 'http://127.0.0.1:3000/',
    })
  })
})

describe('init on an app with an example env file', () => {
  it('leaves the env to the dotenv step: the compose environment adds nothing', async () => {
    const dir = statsApp(statsCompose, {
      '.env.example': 'POSTGRES_IP=localhost\nPOSTGRES_USER=postgres\nJWT_SECRET=\n',
    })
    const { detection } = await plan(dir)
    expect(Object.keys(detection.env).filter((k) => k.startsWith('POSTGRES') || k === 'JWT_SECRET')).toEqual(
      [],
    )
    expect(detection.steps.some((s) => s.type === 'dotenv')).toBe(true)
    expect(detection.providers).not.toContain('compose-app')
  })
})
