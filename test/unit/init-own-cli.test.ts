// An app whose own CLI sets it up and starts it (the NodeBB shape): init writes that CLI's setup,
// answered from the environment variables its code reads, and its daemonizing start with its
// pidfile — not a package.json template's folder taken for an app in a subfolder.
import { chmodSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { detect } from '../../src/init/detect.js'
import { findOwnCli } from '../../src/init/own-cli.js'
import { setupKeys } from '../../src/init/own-cli-data.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

// A shell CLI (not commander, not NodeBB's names): `case … setup)` / `start)`.
const shop = {
  'install/package.json': JSON.stringify({ main: 'app.js', scripts: { start: 'node app.js' } }),
  'app.js': "const http = require('http')\nhttp.createServer(route).listen(port)\n",
  // The template's folder may hold the web installer's own routes: not the app's.
  'install/web.js': "installer.get('/ping', ping)\n",
  // Under the app's configurable base path, empty by default.
  'lib/routes.js': "router.get(`${relativePath}/healthz`, (req, res) => res.end('ok'))\n",
  shop: [
    '#!/bin/sh',
    '# the shop: setup | start',
    'case "$1" in',
    '  setup)',
    '    [ -f package.json ] || cp install/package.json package.json && npm install',
    '    echo "url: $SHOP_URL" > settings.yml',
    '    echo "admin: $SHOP_ADMIN_EMAIL $SHOP_ADMIN_PASSWORD" >> settings.yml ;;',
    '  start)',
    '    PORT=${SHOP_PORT:-5050} nohup node app.js > shop.log 2>&1 &',
    '    echo $! > "tmp/shop.pid" ;;',
    'esac',
  ].join('\n'),
  '.gitignore': 'settings.yml\ntmp/\npackage.json\n',
}

function shopRepo(): string {
  const dir = tempRepo(shop)
  chmodSync(path.join(dir, 'shop'), 0o755)
  return dir
}

/** The shop whose setup stores its data in Redis when SHOP_DB says so, with `compose` as its docker-compose.yml. */
function redisShop(compose: string): string {
  const dir = tempRepo({
    ...shop,
    shop: shop.shop.replace(
      '  setup)',
      '  setup)\n    [ "$SHOP_DB" = "redis" ] && echo "redis: $SHOP_DB_HOST:$SHOP_DB_PORT" >> settings.yml',
    ),
    'docker-compose.yml': compose,
  })
  chmodSync(path.join(dir, 'shop'), 0o755)
  return dir
}

describe('an app whose own CLI sets it up and starts it', () => {
  it('a folder holding only the package.json template the CLI copies to the root is not an app in a subfolder', () => {
    const detection = detect(shopRepo(), { dockerRuns: () => false })
    expect(detection.steps.filter((s) => s.cwd !== undefined)).toEqual([])
    expect(detection.notes.join('\n')).not.toContain('no app at the root')
    // Its code installs the packages itself: no dependencies step of devsetup's beside it.
    expect(detection.steps.map((s) => s.type)).not.toContain('dependencies')
  })

  it('a subfolder whose package.json runs its own files is still an app (server/)', () => {
    const dir = tempRepo({
      'server/package.json': JSON.stringify({ main: 'index.js', scripts: { dev: 'node --watch index.js' } }),
      'server/index.js': 'require("http").createServer().listen(4000)\n',
    })
    expect(detect(dir, { dockerRuns: () => false }).steps.some((s) => s.cwd === 'server')).toBe(true)
  })

  it('writes `./<cli> setup` answered from the env names its code reads, once (creates: its config), then its start with the pidfile', () => {
    const detection = detect(shopRepo(), { dockerRuns: () => false })
    const setup = detection.steps.find((s) => s.slot === 'run: App setup')
    expect(setup?.flat).toEqual({
      name: 'App setup',
      run: './shop setup',
      env: {
        SHOP_ADMIN_PASSWORD: '${SHOP_ADMIN_PASSWORD:-devsetup-local-shop-admin}',
        SHOP_ADMIN_EMAIL: '${SHOP_ADMIN_EMAIL:-admin@example.com}',
        SHOP_URL: '${SHOP_URL:-http://127.0.0.1:5050}',
        SHOP_PORT: '${SHOP_PORT:-5050}',
      },
      creates: ['settings.yml', 'node_modules/.package-lock.json'],
    })
    expect(setup?.why).toBe(
      "the app's own CLI: `./shop setup` (shop:4), which installs the packages itself (shop:5)",
    )
    const restart = detection.steps.find((s) => s.type === 'restart')
    expect(restart?.config).toEqual({
      start: './shop start',
      pidfile: 'tmp/shop.pid',
      health: 'http://127.0.0.1:5050/healthz',
      health_timeout: '2m',
      // Its start sends the server's output to a file of its own: failures quote that file.
      app_log: 'shop.log',
    })
  })

  it('says where the port, the health route, the config file and the pidfile came from (file:line)', () => {
    const notes = detect(shopRepo(), { dockerRuns: () => false }).notes
    expect(notes).toEqual(
      expect.arrayContaining([
        'port 5050: the default in shop:9',
        'health route /healthz: lib/routes.js:1',
        'settings.yml: what `./shop setup` writes (shop:6, kept out of git)',
        'pidfile tmp/shop.pid: written by `./shop start` (shop:10)',
        'app_log shop.log: where its server writes its output (shop:9)',
        'SHOP_URL (read at shop:6): http://127.0.0.1:5050',
      ]),
    )
  })

  it("its database answers: Redis on 127.0.0.1 at the port of devsetup's Redis service (REDIS_URL when the step runs), when compose runs Redis and the CLI speaks of it", () => {
    const dir = redisShop('services:\n  cache:\n    image: redis:7\n')
    const setup = detect(dir, { dockerRuns: () => false }).steps.find((s) => s.slot === 'run: App setup')
    expect(setup?.flat).toMatchObject({
      run: `SHOP_DB_PORT="$\${SHOP_DB_PORT:-$(node -p "new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379').port || 6379")}" ./shop setup`,
      env: { SHOP_DB: '${SHOP_DB:-redis}', SHOP_DB_HOST: '${SHOP_DB_HOST:-127.0.0.1}' },
      // An emptied Redis (FLUSHALL) runs the setup again: asked of Redis, at run time ($$). A shell
      // CLI names no key it writes: the count, and a Redis that does not answer is no count.
      check: 'n="$(redis-cli -u "$${REDIS_URL:-redis://127.0.0.1:6379}" dbsize)" && [ "$n" -gt 0 ]',
    })
  })

  it("a compose PostgreSQL the CLI's own setup does not use (it sets up Redis from SHOP_DB): no database step, no PostgreSQL service, and a note says why", () => {
    const dir = redisShop(
      'services:\n  cache:\n    image: redis:7\n  postgres:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: shop\n      POSTGRES_PASSWORD: shop\n      POSTGRES_DB: shop\n',
    )
    const detection = detect(dir, { dockerRuns: () => false })
    expect(detection.steps.map((s) => s.slot)).not.toContain('database')
    expect(detection.notes.join('\n')).toMatch(
      /no `database` step: `\.\/shop setup` sets up its own database \(SHOP_DB, shop:\d+\); not used: docker-compose\.yml/,
    )
  })

  it('a CLI without a `start` command is not taken for one (the README/script setup stays as it was)', () => {
    const dir = tempRepo({ ...shop, shop: '#!/bin/sh\ncase "$1" in\n  setup) echo ok ;;\nesac\n' })
    chmodSync(path.join(dir, 'shop'), 0o755)
    const detection = detect(dir, { dockerRuns: () => false })
    expect(
      detection.steps.some(
        (s) => s.type === 'restart' && (s.config as { start?: string }).start === './shop start',
      ),
    ).toBe(false)
  })

  it('the keys its setup code writes by name, not those its booting server writes (start.js)', () => {
    const dir = tempRepo({
      board: "#!/usr/bin/env node\nrequire('./src/cli')\n",
      'src/cli.js': [
        "program.command('setup').action(() => require('./install').setup())",
        "program.command('start').action(() => require('./start').start())",
      ].join('\n'),
      'src/install.js': [
        'exports.setup = async () => {',
        "  await db.setObject('config', answers)",
        "  await db.sortedSetAdd('plugins:active', order, plugins)",
        "  await db.setObject('config', more)",
        "  await db.setObjectField(`widgets:${area}`, 'footer', html)",
        '}',
      ].join('\n'),
      'src/start.js': "exports.start = async () => { await db.set('cronJob:last', Date.now()) }\n",
    })
    chmodSync(path.join(dir, 'board'), 0o755)
    const repo = new RepoProbe(dir)
    const own = findOwnCli(repo)
    expect(own && setupKeys(repo, own)).toEqual({
      keys: ['config', 'plugins:active'],
      at: { file: 'src/install.js', line: 2 },
    })
  })
})
