// An app whose DATABASE_URL sits in a committed env file its server loads by path (the shape of
// fastify-drizzle's configs/.env): `init` writes the database step's `url: ${DATABASE_URL}` read
// from that file (the restart's `env_files:`, src/recipe/server-env-scope.ts) and no recipe-level
// DATABASE_URL over it. The database the file names is the one `doctor` checks: a renamed one is
// red naming the database step, and `up` creates it and restarts the server onto it. Against a
// real, throw-away PostgreSQL cluster; node-pg-migrate is a stand-in of the same name and record.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'
import { clusterWithAppRole, pgMigrateScript } from './database/pg-migrate-stand-in.js'
import { freePort, killServersAfterwards } from './restart/servers.js'

const password = 'srvfile-Secret-pw3'
// `node-pg-migrate up --envPath configs/.env`: its DATABASE_URL (the environment first, as dotenv).
const migrator = `#!/usr/bin/env node\n${pgMigrateScript('migrations', { envPath: true })}`

// Loads configs/.env by path at boot, as dotenv does (the environment wins); answers with its database.
const server = `const fs = require('node:fs')
for (const line of fs.readFileSync('configs/.env', 'utf8').split('\\n')) {
  const m = /^([A-Z_]+)=(.*)$/.exec(line)
  if (m && !(m[1] in process.env)) process.env[m[1]] = m[2]
}
require('node:http')
  .createServer((req, res) => res.end('db=' + new URL(process.env.DATABASE_URL).pathname.slice(1)))
  .listen(Number(process.env.PORT || 3000), '127.0.0.1')
`

describe('database: DATABASE_URL in an env file the server loads (env_files)', () => {
  const pg = clusterWithAppRole(password)
  const exists = pg.exists

  it('init reads it there; a renamed database in the file is red until `up` creates it', async () => {
    const cluster = pg.cluster()
    const port = await freePort()
    const url = (db: string) => `postgres://app:${password}@127.0.0.1:${cluster.port}/${db}`
    const repo = tempRepo({
      'package.json': JSON.stringify({
        name: 'app',
        private: true,
        scripts: { dev: 'node src/index.js', migrate: 'node-pg-migrate up --envPath configs/.env' },
        dependencies: { pg: '^8', 'node-pg-migrate': '^7' },
      }),
      'configs/.env': `PORT=${port}\nDATABASE_URL=${url('srvfile_dev')}\n`,
      'src/index.js': server,
      'migrations/001_users.sql': 'CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);',
      'node_modules/.bin/node-pg-migrate': migrator,
    })
    chmodSync(path.join(repo, 'node_modules/.bin/node-pg-migrate'), 0o755)
    killServersAfterwards(repo)

    const init = await runCli(['init'], { cwd: repo })
    expect(init.code, init.stdout + init.stderr).toBe(0)
    const recipe = readFileSync(path.join(repo, 'devsetup.yml'), 'utf8')
    expect(recipe).toContain('env_files: configs/.env')
    expect(recipe).toMatch(/database:\n\s+engine: postgres\n\s+url: \$\{DATABASE_URL\}/)
    expect(recipe).not.toMatch(/^env:/m)
    expect(recipe).not.toContain(password)

    // The installs are the stand-in's: not this test's to run (no network).
    const skip = ['--skip', 'dependencies']
    const first = await runCli(['up', ...skip], { cwd: repo })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(await exists('srvfile_dev')).toBe(true)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('db=srvfile_dev')
    await cluster.sql("INSERT INTO users (name) VALUES ('kept')", 'srvfile_dev')
    expect((await runCli(['doctor', ...skip], { cwd: repo })).code).toBe(0)

    // The person renames the database in the app's own file.
    const env = path.join(repo, 'configs/.env')
    writeFileSync(env, readFileSync(env, 'utf8').replace('srvfile_dev', 'srvfile_renamed'))
    const red = await runCli(['doctor', ...skip], { cwd: repo })
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toMatch(/database.*srvfile_renamed missing/i)
    expect(red.stdout).toMatch(/configs\/\.env changed since the server started.*DATABASE_URL changed/)
    expect(await exists('srvfile_renamed')).toBe(false)

    const repaired = await runCli(['up', ...skip], { cwd: repo })
    expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0)
    const migrated = await cluster.sql<{ name: string }>('SELECT name FROM pgmigrations', 'srvfile_renamed')
    expect(migrated.map((r) => r.name)).toEqual(['001_users'])
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('db=srvfile_renamed')
    const green = await runCli(['doctor', ...skip], { cwd: repo })
    expect(green.code, green.stdout).toBe(0)

    // The first database is kept, its rows too; the password is shown nowhere, nor kept in the cache.
    const rows = await cluster.sql<{ name: string }>('SELECT name FROM users', 'srvfile_dev')
    expect(rows.map((r) => r.name)).toEqual(['kept'])
    for (const shown of [first.stdout, red.stdout, repaired.stdout, green.stdout])
      expect(shown).not.toContain(password)
    expect(readFileSync(path.join(stateDirOf(repo), 'recipe.json'), 'utf8')).not.toContain(password)
  })
})
