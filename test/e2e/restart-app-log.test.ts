// `app_log:` — a server that writes its output to a log of its own (NodeBB's daemonized
// `./nodebb start` writes logs/output.log), not to the start's output. When the server the
// step started dies, or never gets healthy, the failure quotes that file's last lines, written
// since this start: not only server.log, which holds the start command's "Starting…" line.
// A daemonizing shell script (forks the server, which writes its pidfile and its own log, and
// returns 0), real processes, the built CLI, a port of its own that nothing answers on.
import { chmodSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, runCli, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards } from './restart/servers.js'

// `./app start`: forks the server and returns. The server writes app.pid, then its own log
// (logs/output.log, appended, as NodeBB's rotating stream does) and, unless STAY is set, dies
// on its missing Redis; with STAY it lingers, never listening.
const appScript = `#!/bin/sh
case "$1" in
  start)
    echo "Starting the app in the background"
    mkdir -p logs
    nohup sh -c 'echo $$ > app.pid
      echo "app booting, pid $$"
      [ -n "$USUAL" ] && echo "Error: Vapid subject is not an https: or mailto: URL (pid $$)"
      sleep 1
      echo "Error: connect ECONNREFUSED 127.0.0.1:6379 (redis, run $RUN)"
      echo "    at TCPConnectWrap.afterConnect (node:net:1555:16)"
      [ -n "$NOISE" ] && for i in $(seq 1 30); do echo "shutting down worker $i"; done
      [ -n "$STAY" ] && exec sleep 600
      exit 1' >> logs/output.log 2>&1 < /dev/null &
    exit 0 ;;
  *) echo "usage: ./app start" >&2; exit 2 ;;
esac
`

function appRepo(
  port: number,
  extra: string,
  appLog = '      app_log: logs/output.log\n',
  earlier = 'Error: an old failure from yesterday\n',
): string {
  const repo = tempRepo({
    app: appScript,
    // An earlier server's lines: not this start's, so never quoted for it.
    'logs/output.log': earlier,
    'devsetup.yml': `version: 1
env:
  RUN: first
${extra}steps:
  - restart:
      start: ./app start
      pidfile: app.pid
      health: http://127.0.0.1:${port}/
${appLog}`,
  })
  chmodSync(path.join(repo, 'app'), 0o755)
  killServersAfterwards(repo, ['app.pid'])
  return repo
}

function failure(stdout: string) {
  const end = events(stdout).find((e) => e.event === 'step:end' && e.step === 'restart')
  return end as { status: string; reason: string; failure: { tail: string[]; diagnosis?: { id: string }[] } }
}

describe('restart: the app’s own log in failure reports', () => {
  it('a daemon that writes its own log and dies: the failure quotes that log since the start', async () => {
    const port = await freePort()
    const repo = appRepo(port, '')
    const up = await runCli(['up', '--json'], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(1)
    const end = failure(up.stdout)
    expect(end.status).toBe('failed')
    expect(end.reason).toMatch(/pid \d+ in app\.pid is not running/)
    expect(end.reason).toContain("the app's own log: logs/output.log")
    const tail = end.failure.tail.join('\n')
    // The start's own line, then the app's, under a line naming the file.
    expect(tail).toContain('Starting the app in the background')
    expect(tail).toContain('── logs/output.log (app_log), since the start ──')
    expect(tail).toContain('Error: connect ECONNREFUSED 127.0.0.1:6379 (redis, run first)')
    expect(tail).not.toContain('an old failure from yesterday')
    // The diagnosis reads the app's lines too: what refused is Redis, and the fix is its service.
    expect(end.failure.diagnosis?.map((d) => d.id)).toContain('database-refused')
  })

  it('a daemon that stays alive but never gets healthy: the timeout quotes its log as well', async () => {
    const port = await freePort()
    const repo = appRepo(port, '  STAY: "1"\n')
    writeFileSync(
      path.join(repo, 'devsetup.yml'),
      `version: 1\nenv:\n  RUN: second\n  STAY: "1"\nsteps:\n  - restart:\n      start: ./app start\n      pidfile: app.pid\n      health: http://127.0.0.1:${port}/\n      health_timeout: 3s\n      app_log: logs/output.log\n`,
    )
    const up = await runCli(['up', '--json'], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(1)
    const end = failure(up.stdout)
    expect(end.reason).toMatch(/not healthy after 3s/)
    expect(end.failure.tail.join('\n')).toContain('(redis, run second)')
  })

  it('a cause scrolled out of the tail by later lines: the first error is quoted before the tail', async () => {
    const port = await freePort()
    const repo = appRepo(port, '  NOISE: "1"\n')
    const up = await runCli(['up', '--json'], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(1)
    const tail = failure(up.stdout).failure.tail.join('\n')
    expect(tail).toContain('Error: connect ECONNREFUSED 127.0.0.1:6379 (redis, run first)')
    expect(tail).toContain('shutting down worker 30')
    expect(tail).not.toContain('shutting down worker 5\n')
  })

  it('an error every start logs (NodeBB’s web-push plugin) is passed over for the one that follows it', async () => {
    const port = await freePort()
    const earlier =
      'app booting, pid 41\nError: Vapid subject is not an https: or mailto: URL (pid 41)\napp ready\n'
    const repo = appRepo(port, '  NOISE: "1"\n  USUAL: "1"\n', undefined, earlier)
    const up = await runCli(['up', '--json'], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(1)
    const tail = failure(up.stdout).failure.tail
    const cause = tail.indexOf('…') > 0 ? tail.slice(0, tail.indexOf('…')).join('\n') : ''
    expect(cause).toContain('Error: connect ECONNREFUSED 127.0.0.1:6379 (redis, run first)')
    expect(cause).not.toContain('Vapid')
  })

  it('without app_log the report has only the start’s output (what the key is for)', async () => {
    const port = await freePort()
    const repo = appRepo(port, '', '')
    const up = await runCli(['up', '--json'], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(1)
    expect(failure(up.stdout).failure.tail.join('\n')).not.toContain('ECONNREFUSED')
  })
})
