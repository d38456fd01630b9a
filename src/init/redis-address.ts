// Where an app that reads its Redis from split keys connects: `REDIS_HOST` and `REDIS_PORT` (also
// prefixed: `CACHE_REDIS_HOST`), with `REDIS_PASSWORD`. A bare `service: redis` picks a port of
// its own and hands on REDIS_URL, which such an app never reads: it would go on connecting to
// 6379 while `doctor` checked the other server. So the service's URL is made of the same keys, as
// references the recipe reads from .env (`redis://${REDIS_HOST}:${REDIS_PORT}`), and the server
// listens where the app connects — and where it will connect after an edit of .env.
import type { EnvExample } from './env-example.js'

const hostKey = /^((?:[A-Z][A-Z0-9]*_)*)REDIS_(?:HOST|HOSTNAME)$/

export interface RedisAddress {
  /** The service's URL, of references to the example's keys. */
  url: string
  /** The keys it is made of, for init's note. */
  keys: string[]
}

/** The service URL for an example with a Redis host key, or undefined. */
export function redisAddressKeys(example: EnvExample | undefined): RedisAddress | undefined {
  if (!example) return undefined
  const host = Object.keys(example.vars).find((key) => hostKey.test(key) && example.vars[key] !== '')
  if (!host) return undefined
  const prefix = host.match(hostKey)![1]!
  const filled = (key: string) => (example.vars[key] ? key : undefined)
  const port = filled(`${prefix}REDIS_PORT`)
  // A password in the example is one the app sends: the server must ask for the same.
  const password = filled(`${prefix}REDIS_PASSWORD`)
  const ref = (key: string) => `\${${key}}`
  const auth = password ? `:${ref(password)}@` : ''
  const url = `redis://${auth}${ref(host)}:${port ? ref(port) : '6379'}`
  return { url, keys: [host, port, password].filter((k): k is string => k !== undefined) }
}
