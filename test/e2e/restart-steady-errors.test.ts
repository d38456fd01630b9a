// A server that answers 5xx from its first second while its log reports the error (clone-tabnews
// with its database name emptied: 500 and `database "…" does not exist` at each request) fails
// without waiting out health_timeout; one that answers 503 while it logs its retries, then 200,
// is healthy. Real servers, the built CLI.
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards } from './restart/servers.js'

// 500 at each request, with the error the app's handler logs; `healthyAfterMs` turns it healthy.
const server = (port: number, error: string, healthyAfterMs: number) => `
const started = Date.now()
require('node:http').createServer((req, res) => {
  if (Date.now() - started > ${healthyAfterMs}) return res.end('ok')
  console.error(${JSON.stringify(error)})
  res.statusCode = ${Number.isFinite(healthyAfterMs) ? 503 : 500}
  res.end('no')
}).listen(${port}, '127.0.0.1')
`

// `sibling`: the port of an API of the app's own, started beside it with PORT=, listening only
// once the server turns healthy (refused.ts: a port the server's own group is configured for).
function repo(port: number, error: string, healthyAfterMs: number, sibling?: number): string {
  const api = `setTimeout(() => require('node:http').createServer((q, s) => s.end()).listen(process.env.PORT, '127.0.0.1'), ${healthyAfterMs})`
  return tempRepo({
    'server.js': server(port, error, healthyAfterMs),
    ...(sibling ? { 'api.js': api } : {}),
    'devsetup.yml': `version: 1
steps:
  - restart:
      start: ${sibling ? `PORT=${sibling} node api.js & node server.js` : 'node server.js'}
      health: http://127.0.0.1:${port}/
      health_timeout: 60s
`,
  })
}

describe('restart: a server answering 5xx steadily while its log reports an error', () => {
  it('fails on that, quoting the error, not after health_timeout', async () => {
    const port = await freePort()
    // node-postgres's report: its message over its stack, no Error headline.
    const pg =
      'error: database "app_dev" does not exist\n    at Parser.parseErrorMessage (node_modules/pg-protocol/dist/parser.js:285:98)'
    const dir = repo(port, pg, Number.POSITIVE_INFINITY)
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    const out = up.stdout + up.stderr
    expect(up.code, out).toBe(1)
    expect(out).toMatch(
      /it answers HTTP 500 for \d+s while its log reports "error: database "app_dev" does not exist"/,
    )
    expect(out).not.toContain('after 60s')
  }, 60_000)

  it('a server that answers 503 while another it needs is not up yet, then 200, is healthy', async () => {
    const [port, api] = [await freePort(), await freePort()]
    // A page whose fetch to a sibling API still starting fails: no retry word, but a refusal.
    const dir = repo(
      port,
      `TypeError: fetch failed\n    at node:internal/deps/undici/undici:13502:13\n  [cause]: Error: connect ECONNREFUSED 127.0.0.1:${api}`,
      12_000,
      api,
    )
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stdout + up.stderr).toMatch(/healthy in 1\d/)
  }, 60_000)

  it('a wrapped error with its cause above many lines of fields (Next.js over node-postgres) is found', async () => {
    const port = await freePort()
    const fields = [
      'length: 97',
      "severity: 'FATAL'",
      "code: '3D000'",
      'detail: undefined',
      'hint: undefined',
      'position: undefined',
    ]
    const report = [
      ' ⨯ Error [ServiceError]: Erro de conexão com o banco',
      '    at Object.query (infra/database.js:12:11)',
      '  [cause]: error: database "local_user" does not exist',
      '      at Parser.parseErrorMessage (node_modules/pg-protocol/dist/parser.js:285:98)',
      ...Array.from({ length: 4 }, () => fields.map((f) => `    ${f},`)).flat(),
      "    routine: 'InitPostgres'",
      '  }',
      ' GET /api/v1/status 500 in 134ms',
    ].join('\n')
    const dir = repo(port, report, Number.POSITIVE_INFINITY)
    killServersAfterwards(dir)
    const up = await runCli(['up'], { cwd: dir })
    const out = up.stdout + up.stderr
    expect(up.code, out).toBe(1)
    expect(out).toContain('while its log reports "[cause]: error: database "local_user" does not exist"')
  }, 60_000)
})
