// `engines.node` of one published package version, asked of the registry that installs it.
// A published version's document never changes (the registry refuses to republish a version),
// so an answer is kept in devsetup's cache folder and a check, or a no-op `up`, reads the file
// instead of the network; so is a version the registry does not have (404), as "no engines". An
// answer that cannot be had (offline, another error status) is `Unanswered`: no requirement,
// since the install itself then needs the same registry and says so.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { cacheRoot } from './self-install/cache.js'

export interface Release {
  /** `pnpm`, `@yarnpkg/cli-dist`, `undici` */
  pkg: string
  /** An exact version: `8.1.0` */
  version: string
}

type Answer = { node: string | null }

function cacheFile(env: Record<string, string>, registry: string, release: Release) {
  const root = cacheRoot(env)
  if (!root) return undefined
  return path.join(
    root,
    'package-engines',
    encodeURIComponent(registry),
    `${encodeURIComponent(release.pkg)}@${encodeURIComponent(release.version)}.json`,
  )
}

/** What was asked and could not be answered: `offline` stops a batch from asking any further. */
export type Unanswered = 'missing' | 'offline'

/**
 * The release's `engines.node` ("" when it has none), or why there is no answer. From the cache
 * when an earlier run asked. `signal` bounds the wait (a batch shares one deadline).
 */
export async function releaseNodeRange(
  registry: string,
  release: Release,
  env: Record<string, string>,
  signal: AbortSignal = AbortSignal.timeout(15_000),
): Promise<string | Unanswered> {
  const base = registry.replace(/\/+$/, '')
  const cached = cacheFile(env, base, release)
  if (cached) {
    const answer = await readFile(cached, 'utf8')
      .then((text) => JSON.parse(text) as Answer)
      .catch(() => undefined)
    if (answer) return answer.node ?? ''
  }
  let document: { engines?: { node?: unknown } }
  try {
    const response = await fetch(`${base}/${release.pkg}/${encodeURIComponent(release.version)}`, {
      headers: { accept: 'application/json' },
      signal,
    })
    // A version the registry does not have (404) is kept as "no engines": asked once, not on
    // every no-op. Any other status (a 5xx, a proxy's 403) may pass, so it is not kept.
    if (response.status === 404) document = {}
    else if (!response.ok) return 'missing'
    else document = (await response.json()) as typeof document
  } catch {
    return 'offline'
  }
  const node = typeof document.engines?.node === 'string' ? document.engines.node.trim() : ''
  if (cached) {
    await mkdir(path.dirname(cached), { recursive: true }).catch(() => {})
    await writeFile(cached, `${JSON.stringify({ node: node || null } satisfies Answer)}\n`).catch(() => {})
  }
  return node
}
