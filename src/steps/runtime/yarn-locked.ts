// The version yarn.lock locks for a dependency range, for the node check of dependency-engines.ts:
// a yarn.lock (classic or Berry) records no engines, unlike package-lock.json and
// pnpm-lock.yaml, so the locked version's registry document is the only place that says what
// node it needs (mikro-orm's realworld app: `@mikro-orm/core: ^7.1.11` locked at 7.1.11, which
// needs node >= 22.17.0; on node 20 the server died at boot on a missing `node:fs` export).
//   classic:  "@mikro-orm/core@^7.1.11", "@mikro-orm/core@^7.1.0":\n  version "7.1.11"
//   Berry:    "@mikro-orm/core@npm:^7.1.11":\n  version: 7.1.11

/** `name@spec` → the locked version, for the entries of `text` (a yarn.lock). */
export function yarnLocked(text: string): Map<string, string> {
  const locked = new Map<string, string>()
  let heads: string[] = []
  for (const line of text.split('\n')) {
    if (line && !line.startsWith(' ') && !line.startsWith('#') && line.trimEnd().endsWith(':')) {
      heads = line
        .trimEnd()
        .slice(0, -1)
        .split(/,\s*/)
        .map((h) => h.trim().replace(/^"|"$/g, '').replace('@npm:', '@'))
      continue
    }
    const version = /^ {2}version:? "?([^"\s]+)"?\s*$/.exec(line)?.[1]
    if (version) for (const head of heads) locked.set(head, version)
    if (!line.startsWith(' ')) heads = []
  }
  return locked
}
