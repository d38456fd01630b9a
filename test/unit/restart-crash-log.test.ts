// How `restart` reads a server's log for crashes: the watchers' own lines (as they print
// them, colors included), what a restart of the app by its watcher undoes, and that only the
// current server's part of the log counts. Real files; the port-based signal and the real
// watchers are in test/e2e/restart-crash.test.ts.
import { appendFileSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CrashWatch, crashInLog } from '../../src/steps/restart/crash.js'
import { knownPort } from '../../src/steps/restart/port.js'

const logFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'devsetup-crash-')), 'server.log')
const header = (command: string) => `\n--- 2026-01-01T00:00:00.000Z devsetup started: ${command}\n`

/** A fresh log as startServer leaves it, and a watch from where the server's output begins. */
function started(command: string): { log: string; watch: CrashWatch } {
  const log = logFile()
  writeFileSync(log, header(command))
  return { log, watch: new CrashWatch(log, statSync(log).size, undefined) }
}

describe('crash lines in the server log', () => {
  it('sees a watcher crash line, colored as nodemon prints it, and forgets it when the watcher restarts the app', async () => {
    const { log, watch } = started('npx nodemon server.js')
    appendFileSync(log, '\x1b[32m[nodemon] starting `node server.js`\x1b[39m\n')
    expect(await watch.crashed()).toBeUndefined()
    appendFileSync(
      log,
      '\x1b[31m[nodemon] app crashed - waiting for file changes before starting...\x1b[39m\n',
    )
    expect(await watch.crashed()).toBe(
      'the server crashed: its log says "[nodemon] app crashed - waiting for file changes before starting..."',
    )
    appendFileSync(log, '[nodemon] restarting due to changes...\n[nodemon] starting `node server.js`\n')
    expect(await watch.crashed()).toBeUndefined()
  })

  it("sees Node's fatal line behind concurrently's [name] prefix (outline's `[api] Node.js v26…` under a supervisor that restarts it)", async () => {
    const { log, watch } = started('yarn dev')
    appendFileSync(log, '[api] RangeError [ERR_SOCKET_BAD_PORT]: options.port should be >= 0 and < 65536\n')
    appendFileSync(log, '[api] \n[api] Node.js v26.12.1\n')
    expect(await watch.crashed()).toMatch(/the server crashed: its log says "\[api\] Node\.js v26\.12\.1"/)
    // A watcher's own bracket is its line, not a prefix to drop.
    expect(crashInLog(log)).toBe('[api] Node.js v26.12.1')
  })

  it("prefers the watcher's line to Node's own, which comes first", async () => {
    const { log, watch } = started('node --watch server.js')
    appendFileSync(log, 'Error: JWT_SECRET is required\n\nNode.js v20.20.2\n')
    expect(await watch.crashed()).toBeUndefined()
    appendFileSync(log, "Failed running 'server.js'\n")
    expect(await watch.crashed()).toMatch(/"Failed running 'server\.js'"$/)
    // A line written in two pieces is read whole.
    const silent = new CrashWatch(log, statSync(log).size, undefined)
    appendFileSync(log, 'Node.js v2')
    expect(await silent.crashed()).toBeUndefined()
    appendFileSync(log, '0.20.2\n')
    expect(await silent.crashed()).toBeUndefined()
    expect(await silent.crashed()).toBe('the server crashed: its log says "Node.js v20.20.2"')
  })

  it("sees @adonisjs/assembler's line (verbatim from its 7.8.2 build, through cliui's logger) and its restart on a file change", async () => {
    const { log, watch } = started('node ace serve --watch')
    appendFileSync(
      log,
      '[ info ] starting HTTP server...\n  EnvValidationException: Missing environment variable "GITHUB_TOKEN"\n',
    )
    expect(await watch.crashed()).toBeUndefined()
    appendFileSync(log, '\x1b[34m[ info ]\x1b[39m Underlying HTTP server died. Still watching for changes\n')
    expect(await watch.crashed()).toBe(
      'the server crashed: its log says "[ info ] Underlying HTTP server died. Still watching for changes"',
    )
    appendFileSync(log, '\x1b[32mchange\x1b[39m start/env.ts\n')
    expect(await watch.crashed()).toBeUndefined()
  })

  it("a check reads only the current server's part: an earlier server's crash does not count", () => {
    const log = logFile()
    writeFileSync(log, `${header('node --watch server.js')}Failed running 'server.js'\n`)
    expect(crashInLog(log)).toBe("Failed running 'server.js'")
    appendFileSync(log, `${header('node --watch server.js')}listening on 3000\n`)
    expect(crashInLog(log)).toBeUndefined()
    appendFileSync(log, "Failed running 'server.js'\nRestarting 'server.js'\nlistening on 3000\n")
    expect(crashInLog(log)).toBeUndefined()
    expect(crashInLog(path.join(path.dirname(log), 'missing.log'))).toBeUndefined()
  })

  it('an app logging errors of its own is no crash', async () => {
    const log = logFile()
    writeFileSync(log, '')
    const watch = new CrashWatch(log, 0, undefined)
    appendFileSync(log, '[ERROR] redis: connection refused, retrying\nError: something failed\n')
    expect(await watch.crashed()).toBeUndefined()
  })
})

describe('the port a server without health listens on', () => {
  it('port:, then a local health URL, then -p/--port in start, then PORT set by the recipe (not the shell)', () => {
    const shell = { PORT: '9999' }
    expect(knownPort({ port: 4000, start: 'x -p 5000' }, {}, shell)).toEqual({ port: 4000, from: '`port:`' })
    expect(knownPort({ health: 'http://localhost:4001/up', start: 'x -p 5000' }, {}, shell)?.port).toBe(4001)
    expect(knownPort({ start: 'next dev -p 5000' }, { PORT: '6000' }, shell)?.port).toBe(5000)
    expect(knownPort({ start: 'vite --port=5173' }, {}, shell)?.port).toBe(5173)
    expect(knownPort({ start: 'npm run dev -- --port 5174 --host' }, {}, shell)?.port).toBe(5174)
    expect(knownPort({ start: 'npm run dev' }, { PORT: '6000' }, shell)).toEqual({
      port: 6000,
      from: 'PORT in the recipe env',
    })
    // Not ports: a tsconfig, a docker mapping, a PORT the shell had anyway.
    expect(knownPort({ start: 'tsc -p tsconfig.json && node server.js' }, {}, shell)).toBeUndefined()
    expect(knownPort({ start: 'docker run -p 3000:3000 app' }, {}, shell)).toBeUndefined()
    expect(knownPort({ start: 'npm run dev' }, { PORT: '9999' }, shell)).toBeUndefined()
  })
})
