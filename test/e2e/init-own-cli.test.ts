// The app-cli/board example end to end through the built CLI: an app whose own CLI sets it up
// (copies install/package.json to the root, installs, writes config.json from BOARD_* env) and
// starts it in the background (the server writes board.pid). `init` with no edit to the recipe it
// writes, `up` to a board that answers, `doctor` green, a no-op `up`, and a killed server repaired.
// Its default port is swapped for a free one (4680 may be taken on a shared machine); nothing else.
import { spawnSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isAlive, repoRoot, tempRepo, waitFor } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'
import { services } from './service/harness.js'

const s = services()

async function get(url: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(url)
    return { status: response.status, body: await response.text() }
  } catch {
    return undefined
  }
}

describe('an app whose own CLI sets it up and starts it', () => {
  it('app-cli/board: init writes its setup and daemonizing start; up sets it up once and serves; doctor green; a killed server is red, then restarted; removed packages are red, then reinstalled by its setup', async () => {
    const repo = tempRepo()
    cpSync(path.join(repoRoot, 'examples', 'init', 'app-cli', 'board'), repo, { recursive: true })
    const port = await freePort()
    const server = path.join(repo, 'server.js')
    writeFileSync(server, readFileSync(server, 'utf8').replace('|| 4680', `|| ${port}`))

    const init = await s.cli(repo, ['init'])
    expect(init.code, init.stdout + init.stderr).toBe(0)
    const recipe = readFileSync(path.join(repo, 'devsetup.yml'), 'utf8')
    expect(recipe).toContain('run: ./board setup')
    expect(recipe).toContain(`BOARD_URL: \${BOARD_URL:-http://127.0.0.1:${port}}`)
    expect(recipe).toContain('pidfile: board.pid')
    expect(recipe).not.toContain('cwd: install')

    const up = await s.cli(repo, ['up'])
    expect(up.code, up.stdout + up.stderr).toBe(0)
    // The CLI's setup ran: the template copied to the root, its config written from the env.
    expect(existsSync(path.join(repo, 'package.json'))).toBe(true)
    expect(JSON.parse(readFileSync(path.join(repo, 'config.json'), 'utf8'))).toEqual({
      url: `http://127.0.0.1:${port}`,
      admin: 'admin',
    })
    const pid = Number(readFileSync(path.join(repo, 'board.pid'), 'utf8'))
    expect(isAlive(pid)).toBe(true)
    expect(await get(`http://127.0.0.1:${port}/ping`)).toEqual({ status: 200, body: 'pong' })
    // Its package (installed by its setup, from install/package.json) renders the page.
    expect(await get(`http://127.0.0.1:${port}/`)).toEqual({ status: 200, body: 'board for <b>admin</b>' })

    const doctor = await s.cli(repo, ['doctor'])
    expect(doctor.code, doctor.stdout).toBe(0)
    const again = await s.cli(repo, ['up'])
    expect(again.code, again.stdout).toBe(0)
    expect(again.stdout).toContain('nothing changed')
    expect(Number(readFileSync(path.join(repo, 'board.pid'), 'utf8'))).toBe(pid)

    // Killed behind devsetup's back: doctor is red, up starts it again with `./board start`;
    // the setup, whose config.json is still there, does not run again.
    process.kill(pid, 'SIGKILL')
    await waitFor(() => !isAlive(pid), 5_000)
    const red = await s.cli(repo, ['doctor'])
    expect(red.code, red.stdout).toBe(1)
    const repaired = await s.cli(repo, ['up'])
    expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0)
    expect(repaired.stdout).not.toMatch(/App setup.*changed/)
    expect(await get(`http://127.0.0.1:${port}/ping`)).toEqual({ status: 200, body: 'pong' })
    expect(Number(readFileSync(path.join(repo, 'board.pid'), 'utf8'))).not.toBe(pid)

    // Its packages removed: npm's record is gone, doctor is red on the setup, and up runs the
    // app's own setup again (which installs them), then restarts the server; the config is kept.
    rmSync(path.join(repo, 'node_modules'), { recursive: true, force: true })
    const noModules = await s.cli(repo, ['doctor'])
    expect(noModules.code, noModules.stdout).toBe(1)
    expect(noModules.stdout).toMatch(/App setup.*node_modules\/\.package-lock\.json/)
    const reinstalled = await s.cli(repo, ['up'])
    expect(reinstalled.code, reinstalled.stdout + reinstalled.stderr).toBe(0)
    expect(existsSync(path.join(repo, 'node_modules', '.package-lock.json'))).toBe(true)
    expect(await get(`http://127.0.0.1:${port}/`)).toEqual({ status: 200, body: 'board for <b>admin</b>' })
    expect((await s.cli(repo, ['doctor'])).code).toBe(0)

    const stop = await s.cli(repo, ['stop'])
    expect(stop.code, stop.stdout + stop.stderr).toBe(0)
  }, 180_000)

  it('an own CLI whose data is in Redis: an emptied Redis (FLUSHALL) turns doctor red on its setup, and up sets it up again', async () => {
    const port = await freePort()
    const repo = tempRepo({
      // A shell CLI (NodeBB's shape, not its code): setup stores in the Redis SHOP_DB names.
      shop: [
        '#!/bin/sh',
        'case "$1" in',
        '  setup)',
        '    [ "$SHOP_DB" = "redis" ] || exit 3',
        '    redis-cli -h "$SHOP_DB_HOST" -p "$SHOP_DB_PORT" set shop:admin admin >/dev/null || exit 4',
        '    echo "url: $SHOP_URL" > settings.yml ;;',
        '  start)',
        `    export PORT=\${SHOP_PORT:-${port}}`,
        '    nohup node server.js "shop.pid" > shop.log 2>&1 & ;;',
        'esac',
      ].join('\n'),
      // The server writes its own pid to the file its start names, as NodeBB's loader does.
      'server.js':
        "require('fs').writeFileSync(process.argv[2], String(process.pid))\nrequire('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT, '127.0.0.1')\n",
      'docker-compose.yml': 'services:\n  cache:\n    image: redis:7\n',
      '.gitignore': 'settings.yml\nshop.pid\nshop.log\n',
    })
    chmodSync(path.join(repo, 'shop'), 0o755)
    const init = await s.cli(repo, ['init'])
    expect(init.code, init.stdout + init.stderr).toBe(0)
    expect(readFileSync(path.join(repo, 'devsetup.yml'), 'utf8')).toContain('redis-cli -u')
    const up = await s.cli(repo, ['up'])
    expect(up.code, up.stdout + up.stderr).toBe(0)
    const redisPort = Number(/redis:\/\/127\.0\.0\.1:(\d+)/.exec(up.stdout)?.[1])
    const redis = (...args: string[]) =>
      spawnSync('redis-cli', ['-p', String(redisPort), ...args], { encoding: 'utf8' }).stdout.trim()
    expect(redis('get', 'shop:admin')).toBe('admin')
    const green = await s.cli(repo, ['doctor'])
    expect(green.code, green.stdout).toBe(0)

    redis('flushall')
    const red = await s.cli(repo, ['doctor'])
    expect(red.code, red.stdout).toBe(1)
    expect(red.stdout).toMatch(/✗ App setup — unmet: check .*redis-cli/)
    const repaired = await s.cli(repo, ['up'])
    expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0)
    expect(redis('get', 'shop:admin')).toBe('admin')
    expect((await s.cli(repo, ['doctor'])).code).toBe(0)
    expect((await s.cli(repo, ['stop'])).code).toBe(0)
  }, 120_000)
})
