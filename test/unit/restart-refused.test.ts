// The refused address in each client's own words, as the real clients printed it (pg 8, mysql2 3,
// ioredis 5, Node's fetch; libpq, MySQL's C client, redis-py and Ruby as their sources word it),
// and the env-file key that holds the port.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { envKeysFor, refusedIn } from '../../src/steps/restart/refused.js'
import { tempRepo } from '../helpers.js'

describe('refusedIn', () => {
  it.each([
    ['Error: connect ECONNREFUSED 127.0.0.1:5433', '127.0.0.1', 5433], // pg's pool, mysql2
    ['[ioredis] Unhandled error event: Error: connect ECONNREFUSED 127.0.0.1:6380', '127.0.0.1', 6380],
    ['  [cause]: Error: connect ECONNREFUSED 127.0.0.1:4001', '127.0.0.1', 4001], // fetch
    ['Error: connect ECONNREFUSED ::1:3306', '::1', 3306], // localhost as IPv6 first
    [
      'psycopg.OperationalError: connection failed: connection to server at "127.0.0.1", port 5433 failed: Connection refused',
      '127.0.0.1',
      5433,
    ],
    ['PG::ConnectionBad: connection to server at "::1", port 5433 failed: Connection refused', '::1', 5433],
    ["ERROR 2003 (HY000): Can't connect to MySQL server on '127.0.0.1:3307' (111)", '127.0.0.1', 3307],
    [
      'redis.exceptions.ConnectionError: Error 111 connecting to localhost:6380. Connection refused.',
      'localhost',
      6380,
    ],
    ['Redis::CannotConnectError: Connection refused - connect(2) for 127.0.0.1:6380', '127.0.0.1', 6380],
    ["Error: P1001: Can't reach database server at `127.0.0.1:5433`", '127.0.0.1', 5433],
  ])('%s', (line, host, port) => {
    expect(refusedIn(['booting', line, '    at TCPConnectWrap.afterConnect'])).toEqual({
      host,
      port,
      line: line.trim(),
    })
  })

  it("quotes a refusal Next.js prints as a stack frame by the client's words", () => {
    const line = '        at <unknown> (Error: connect ECONNREFUSED 127.0.0.1:5499) {'
    expect(refusedIn([line])).toEqual({ host: '127.0.0.1', port: 5499, line: 'ECONNREFUSED 127.0.0.1:5499' })
  })

  it('takes the last refusal, and none from a line without one', () => {
    expect(
      refusedIn(['connect ECONNREFUSED 127.0.0.1:1111', 'connect ECONNREFUSED 127.0.0.1:2222'])?.port,
    ).toBe(2222)
    expect(
      refusedIn(['Error: connect ETIMEDOUT 10.0.0.5:5432', 'listening on 127.0.0.1:3000']),
    ).toBeUndefined()
  })
})

describe('envKeysFor', () => {
  it('names the keys whose value is the port or a URL or address with it, never a longer port', () => {
    const dir = tempRepo()
    writeFileSync(
      path.join(dir, '.env'),
      'DB_PORT=5433\nDATABASE_URL=postgres://app:x@127.0.0.1:5433/app\nOTHER=54330\nREDIS=127.0.0.1:54331\nID=a5433\n',
    )
    expect(envKeysFor(dir, ['.env', 'missing/.env'], 5433)).toEqual([
      'DB_PORT in .env',
      'DATABASE_URL in .env',
    ])
  })
})
