// `restart` with a start that daemonizes (forks the server into its own session, which writes
// its pidfile, and exits 0 at once), and restarts only for changes that matter: real
// processes, a real HTTP server, the built CLI.
import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, runCli, stateDirOf, tempRepo } from '../helpers.js'
import { findPgBin } from './database/postgres-cluster.js'
import { alive, freePort, health, killServersAfterwards, serverSource } from './restart/servers.js'

// Like `./app start` of a forum app: forks the server out of devsetup's process group
// (setsid), leaves it to write tmp/app.pid once listening, and returns at once.
const appScript = `#!/bin/sh
case "$1" in
  start)
    mkdir -p tmp
    PIDFILE=tmp/app.pid setsid node server.js >> tmp/app.log 2>&1 < /dev/null &
    exit 0 ;;
  *) echo "usage: ./app start" >&2; exit 2 ;;
esac
`

function daemonRepo(port: number, extraSteps = '', restartKeys = '', start = './app start'): string {
  const repo = tempRepo({
    'server.js': serverSource,
    app: appScript,
    'input.txt': 'v1\n',
    'devsetup.yml': `version: 1
env:
  PORT: "${port}"
steps:
  - name: build
    run: echo built
    inputs: input.txt
  - cleanup:
      paths: [log/*.log]
${extraSteps}  - restart:
      pidfile: tmp/app.pid
      start: ${start}
      health: http://127.0.0.1:${port}/health
${restartKeys}`,
  })
  chmodSync(path.join(repo, 'app'), 0o755)
  killServersAfterwards(repo, ['tmp/app.pid'])
  return repo
}

const ends = (stdout: string) =>
  Object.fromEntries(
    events(stdout)
      .filter((e) => e.event === 'step:end')
      .map((e) => [e.step as string, e as { status: string; reason: string }]),
  )

describe('restart with a daemonizing start and a pidfile', () => {
  it('converges on the first run, is all ok on the second, and restarts the daemon itself after a change', async () => {
    const port = await freePort()
    const repo = daemonRepo(port)

    const first = await runCli(['up', '--json'], { cwd: repo })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    const started = ends(first.stdout).restart!
    expect(started.status).toBe('changed')
    const daemon = await health(port)
    expect(started.reason).toMatch(
      new RegExp(
        `started \`./app start\` \\(pid \\d+, log \\S+\\), daemonized as pid ${daemon.pid}, healthy in`,
      ),
    )
    // Recorded as the server devsetup runs: the daemon, not the shell that exited.
    expect(readFileSync(path.join(stateDirOf(repo), 'server.pid'), 'utf8').trim()).toBe(String(daemon.pid))

    const second = await runCli(['up', '--json'], { cwd: repo })
    expect(second.code, second.stdout).toBe(0)
    expect(Object.values(ends(second.stdout)).map((e) => e.status)).toEqual(['ok', 'ok', 'ok'])
    expect((await health(port)).pid).toBe(daemon.pid)
    expect((await runCli(['doctor'], { cwd: repo })).code).toBe(0)

    writeFileSync(path.join(repo, 'input.txt'), 'v2\n')
    const changed = await runCli(['up', '--json'], { cwd: repo })
    expect(changed.code, changed.stdout).toBe(0)
    const restarted = ends(changed.stdout).restart!
    expect(restarted.status).toBe('changed')
    expect(restarted.reason).toMatch(
      new RegExp(`^stopped pid ${daemon.pid} \\(SIGTERM in [\\d.]+m?s\\); started \`./app start\``),
    )
    expect(alive(daemon.pid)).toBe(false)
    const after = await health(port)
    expect(after.pid).not.toBe(daemon.pid)
    expect(readFileSync(path.join(repo, 'tmp/app.pid'), 'utf8').trim()).toBe(String(after.pid))
  })

  it('adopts a server that a start script leaves in its own process group (`nohup server & exit 0`)', async () => {
    const port = await freePort()
    const repo = daemonRepo(port, '', '', './start.sh')
    writeFileSync(
      path.join(repo, 'start.sh'),
      '#!/bin/sh\nmkdir -p tmp\nPIDFILE=tmp/app.pid nohup node server.js >> tmp/app.log 2>&1 < /dev/null &\nexit 0\n',
    )
    chmodSync(path.join(repo, 'start.sh'), 0o755)

    const first = await runCli(['up', '--json'], { cwd: repo })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    const daemon = await health(port)
    expect(ends(first.stdout).restart!.reason).toMatch(
      new RegExp(`daemonized as pid ${daemon.pid}, healthy in`),
    )
    expect(readFileSync(path.join(stateDirOf(repo), 'server.pid'), 'utf8').trim()).toBe(String(daemon.pid))

    const second = await runCli(['up', '--json'], { cwd: repo })
    expect(Object.values(ends(second.stdout)).map((e) => e.status)).toEqual(['ok', 'ok', 'ok'])

    writeFileSync(path.join(repo, 'input.txt'), 'v2\n')
    const changed = await runCli(['up', '--json'], { cwd: repo })
    expect(changed.code, changed.stdout).toBe(0)
    expect(ends(changed.stdout).restart!.reason).toMatch(new RegExp(`^stopped pid ${daemon.pid} \\(SIGTERM`))
    expect(alive(daemon.pid)).toBe(false)
    expect((await health(port)).pid).not.toBe(daemon.pid)
  })

  it('fails clearly when the start exits 0 but its pidfile never names a live server', async () => {
    const port = await freePort()
    const repo = daemonRepo(port, '', '      health_timeout: 2s\n')
    writeFileSync(path.join(repo, 'app'), '#!/bin/sh\necho "forked (not really)"\nexit 0\n')
    const result = await runCli(['up'], { cwd: repo })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /failed: health check failed: .* not healthy after 2s: connection refused \(`\.\/app start` exited 0 but never wrote tmp\/app\.pid\)/,
    )
  })
})

describe('restart with a real daemonizing server: PostgreSQL through pg_ctl', () => {
  const bin = findPgBin()
  it.skipIf(!bin || process.getuid?.() !== 0)(
    'follows postmaster.pid (a pid on its first line), is ok on the next run, and restarts it after a change',
    async () => {
      const port = await freePort()
      const repo = tempRepo({ 'input.txt': 'v1\n' })
      chmodSync(repo, 0o755)
      const db = path.join(repo, 'db')
      mkdirSync(db)
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString())
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString())
      chownSync(db, uid, gid)
      const asPostgres = ['runuser', '-u', 'postgres', '--']
      execFileSync(
        asPostgres[0]!,
        [...asPostgres.slice(1), `${bin}/initdb`, '-D', `${db}/data`, '--no-sync', '-A', 'trust'],
        {
          stdio: 'pipe',
        },
      )
      const start = `runuser -u postgres -- ${bin}/pg_ctl -D db/data -l db/server.log -o "-p ${port} -k ${db} -c listen_addresses=127.0.0.1" start`
      writeFileSync(
        path.join(repo, 'devsetup.yml'),
        `version: 1\nsteps:\n  - name: build\n    run: echo built\n    inputs: input.txt\n  - restart:\n      pidfile: db/data/postmaster.pid\n      start: ${JSON.stringify(start)}\n      health: tcp://127.0.0.1:${port}\n`,
      )
      killServersAfterwards(repo, ['db/data/postmaster.pid'])

      const first = await runCli(['up', '--json'], { cwd: repo })
      expect(first.code, first.stdout + first.stderr).toBe(0)
      const postmaster = Number(readFileSync(path.join(db, 'data/postmaster.pid'), 'utf8').split('\n')[0])
      expect(ends(first.stdout).restart!.reason).toContain(`daemonized as pid ${postmaster}`)

      const second = await runCli(['up', '--json'], { cwd: repo })
      expect(Object.values(ends(second.stdout)).map((e) => e.status)).toEqual(['ok', 'ok'])
      expect(alive(postmaster)).toBe(true)

      writeFileSync(path.join(repo, 'input.txt'), 'v2\n')
      const changed = await runCli(['up', '--json'], { cwd: repo })
      expect(changed.code, changed.stdout).toBe(0)
      expect(ends(changed.stdout).restart!.reason).toMatch(
        new RegExp(`^stopped pid ${postmaster} \\(SIGTERM in [\\d.]+m?s\\); started`),
      )
      expect(alive(postmaster)).toBe(false)
      const next = Number(readFileSync(path.join(db, 'data/postmaster.pid'), 'utf8').split('\n')[0])
      expect(alive(next)).toBe(true)
    },
  )
})

describe('restart only for changes that matter', () => {
  it('a cleanup-only change does not restart the server, and says so', async () => {
    const port = await freePort()
    const repo = daemonRepo(port)
    expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
    const before = await health(port)

    mkdirSync(path.join(repo, 'log'), { recursive: true })
    writeFileSync(path.join(repo, 'log/development.log'), 'old lines\n')
    const result = await runCli(['up', '--json'], { cwd: repo })
    expect(result.code, result.stdout).toBe(0)
    const all = ends(result.stdout)
    expect(all.cleanup!.status).toBe('changed')
    expect(all.restart).toMatchObject({
      status: 'ok',
      reason: 'only cleanup changed, which needs no restart',
    })
    expect((await health(port)).pid).toBe(before.pid)
  })

  it('`after:` names the steps a restart follows; `restarts: false` takes a step out', async () => {
    const port = await freePort()
    const extra = '  - name: docs\n    run: echo docs\n    inputs: docs.txt\n    restarts: false\n'
    const repo = daemonRepo(port, extra, '      after: [build]\n')
    writeFileSync(path.join(repo, 'docs.txt'), 'v1\n')
    expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
    const before = await health(port)

    writeFileSync(path.join(repo, 'docs.txt'), 'v2\n')
    const docsOnly = await runCli(['up', '--json'], { cwd: repo })
    expect(ends(docsOnly.stdout).restart).toMatchObject({
      status: 'ok',
      reason: 'only docs changed; this restart follows build',
    })
    expect((await health(port)).pid).toBe(before.pid)

    writeFileSync(path.join(repo, 'input.txt'), 'v2\n')
    const build = await runCli(['up', '--json'], { cwd: repo })
    expect(build.code, build.stdout).toBe(0)
    const run = events(build.stdout).find((e) => e.event === 'step:run' && e.step === 'restart')
    expect(run).toMatchObject({ reason: 'build changed' })
    expect((await health(port)).pid).not.toBe(before.pid)
  })

  it('rejects an `after:` or `when_changed:` id that is no step, with a suggestion', async () => {
    const repo = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - name: build\n    run: echo hi\n  - run: echo x\n    when_changed: [biuld]\n  - restart: { touch: tmp/r.txt, after: [bild] }\n',
    })
    const result = await runCli(['validate'], { cwd: repo })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('`when_changed` entry `biuld` is not a step id')
    expect(result.stderr).toContain('`after` entry `bild` is not a step id')
    expect(result.stderr).toContain('did you mean `build`?')
  })
})
