// The own CLI's setup check (init/own-cli-data.ts) run by a real shell against a real
// redis-server: red while the keys the setup writes are absent (an emptied Redis, even one a
// running app has written other keys into), green once one exists, and red when Redis does not
// answer (redis-cli prints nothing then: no count is no "set up").
import { spawn, spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupCheck } from '../../src/init/own-cli-data.js'
import { tempRepo, waitFor } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'

let port = 0
let server: ReturnType<typeof spawn> | undefined
const url = () => `redis://127.0.0.1:${port}`
const redis = (...args: string[]) =>
  spawnSync('redis-cli', ['-u', url(), ...args], { encoding: 'utf8' }).stdout.trim()
// The recipe writes `$$` for a `$` the shell must see (devsetup's own ${VAR} expansion).
const holds = (check: string, env: Record<string, string>, cwd?: string) =>
  spawnSync('sh', ['-c', check.replaceAll('$$', '$')], { env: { ...process.env, ...env }, cwd }).status === 0

beforeAll(async () => {
  port = await freePort()
  const dir = tempRepo({})
  server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  })
  await waitFor(() => redis('ping') === 'PONG', 10_000)
})
afterAll(() => server?.kill('SIGKILL'))

describe("an own CLI's setup check asks Redis for what the setup writes", () => {
  it('the keys the setup writes: red when absent though the app wrote others, green when present', () => {
    const { check } = setupCheck({
      keys: ['plugins:active', 'config'],
      at: { file: 'src/install.js', line: 3 },
    })
    redis('flushall')
    redis('set', 'analytics:errors:404', '1') // what a running app writes on its own
    expect(holds(check, { REDIS_URL: url() })).toBe(false)
    // One of them is enough: a setup may write another only on a condition.
    redis('zadd', 'plugins:active', '0', 'a')
    expect(holds(check, { REDIS_URL: url() })).toBe(true)
  })

  it('without keys found: the count, red when empty, green with a key', () => {
    const { check } = setupCheck(undefined)
    redis('flushall')
    expect(holds(check, { REDIS_URL: url() })).toBe(false)
    redis('set', 'k', '1')
    expect(holds(check, { REDIS_URL: url() })).toBe(true)
  })

  it('a Redis that does not answer is red for both forms', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`
    expect(holds(setupCheck(undefined).check, { REDIS_URL: closed })).toBe(false)
    const keys = setupCheck({ keys: ['config'], at: { file: 'src/install.js', line: 3 } }).check
    expect(holds(keys, { REDIS_URL: closed })).toBe(false)
  })

  it("the Redis its setup wrote into its JSON config is the one asked (NodeBB's config.json), REDIS_URL until then", () => {
    const found = { keys: ['config'], at: { file: 'src/install.js', line: 3 } }
    const { check } = setupCheck(found, 'config.json')
    redis('flushall')
    redis('set', 'config', '1') // set up in database 0
    const dir = tempRepo({})
    // No config.json yet: REDIS_URL's database 0, where the key is.
    expect(holds(check, { REDIS_URL: url() }, dir)).toBe(true)
    // The config moved to database 5, where nothing was set up: red, though database 0 has the key.
    const moved = tempRepo({
      'config.json': JSON.stringify({ redis: { host: '127.0.0.1', port, database: '5' } }),
    })
    expect(holds(check, { REDIS_URL: url() }, moved)).toBe(false)
    redis('-n', '5', 'set', 'config', '1')
    expect(holds(check, { REDIS_URL: url() }, moved)).toBe(true)
  })
})
