// What an app's own setup writes into its Redis, read from the setup's code, so that the setup
// step's check asks Redis for THOSE keys. `dbsize != 0` was a proxy: a running NodeBB writes
// analytics and cron keys on its own (a 404, a restart), so an emptied Redis (FLUSHALL) read as
// set up again while the forum had no admin and no content. Keys the setup code writes by a
// literal name (`db.sortedSetAdd('plugins:active', …)`) are written by setup only; the files read
// are the ones the CLI loads whose name says setup or install (src/install.js, src/cli/setup.js),
// so keys a booting server writes (src/start.js) are not taken.
import { type OwnCli, type Where, where } from './own-cli.js'
import type { RepoProbe } from './repo.js'

// A store's write by a literal key: `db.setObject('config', …)`, `redis.hset("site:settings", …)`.
const write =
  /\b(?:db|redis|client|store|database)\.(?:set|setObject|setObjectField|setAdd|sortedSetAdd|hset|hmset|sadd|zadd|rpush|lpush)\(\s*['"]([A-Za-z][\w:.-]*)['"]/g

/** Up to three keys the setup writes, with where the first is written. */
export function setupKeys(repo: RepoProbe, own: OwnCli): { keys: string[]; at: Where } | undefined {
  const keys: string[] = []
  let at: Where | undefined
  for (const file of own.files.filter((f) => /(?:^|\/)(?:install|setup)[\w-]*\.[cm]?js$/.test(f))) {
    const text = repo.read(file) ?? ''
    for (const match of text.matchAll(write)) {
      if (keys.includes(match[1]!)) continue
      keys.push(match[1]!)
      at ??= { file, line: text.slice(0, match.index).split('\n').length }
      if (keys.length === 3) return { keys, at }
    }
  }
  return at ? { keys, at } : undefined
}

/**
 * The setup step's check: a key it writes exists (Redis's own answer). One is enough: a write
 * may be conditional (NodeBB writes `widgets:global` only when no footer is set), and asking for
 * all would run a setup that already ran on every `up`; an emptied Redis lacks them all. A Redis
 * that cannot be reached prints nothing, which is no count: red. Without keys found: the count.
 */
export function setupCheck(
  found: ReturnType<typeof setupKeys>,
  configFile?: string,
): { check: string; note: string } {
  // The Redis the app uses is the one its setup wrote into its JSON config (NodeBB's config.json:
  // `redis: { host, port, password, database }`): a `database` moved to an empty one is a forum
  // with no admin, so that is the one asked; REDIS_URL (the setup's answer) until the file exists.
  const fromConfig = configFile?.endsWith('.json')
    ? `u="$(node -e 'try{const r=require(require("path").resolve(process.argv[1])).redis;if(r)process.stdout.write("redis://"+(r.password?":"+encodeURIComponent(r.password)+"@":"")+(r.host||"127.0.0.1")+":"+(r.port||6379)+"/"+(r.database||0))}catch{}' ./${configFile} 2>/dev/null)"; `
    : ''
  const url = fromConfig
    ? '$${u:-$${REDIS_URL:-redis://127.0.0.1:6379}}'
    : '$${REDIS_URL:-redis://127.0.0.1:6379}'
  const cli = `${fromConfig}redis-cli -u "${url}"`
  if (!found)
    return {
      check: `n="$(${cli} dbsize)" && [ "$n" -gt 0 ]`,
      note: 'the setup runs again when its Redis holds nothing (`redis-cli dbsize`; no key its setup writes was found by name)',
    }
  return {
    check: `n="$(${cli} exists ${found.keys.join(' ')})" && [ "$n" -gt 0 ]`,
    note: `the setup runs again when its Redis has none of ${found.keys.join(', ')}, which the setup writes (${where(found.at)})`,
  }
}
