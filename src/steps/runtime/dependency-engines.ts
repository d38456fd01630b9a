// The node a package.json's exactly pinned dependencies need. NodeBB's install/package.json says
// `engines: >=20` and pins `undici: 8.1.0`, whose own engines say `>=22.19.0`: on node 20 the app
// installs and then dies at boot. An exact pin is installed as written, with a lockfile or without one, so that version's
// document in the registry is the truth (cached: registry-engines.ts). The answer must not depend
// on whether a lockfile exists yet: NodeBB's first install writes one, and a check that stopped
// asking then went back to node 20 on the next `up`. A range (`^1.2.0`) resolves to whatever is
// newest on the day of the install, so it is not asked — unless a yarn.lock locks it (it records
// no engines; package-lock.json's and pnpm-lock.yaml's are init's to read, src/init/node-engines.ts).
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { type Release, releaseNodeRange } from './registry-engines.js'
import { loadSemver, semver } from './semver.js'
import { yarnLocked } from './yarn-locked.js'

const exact = /^v?=?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/
/** Requests at once, and the wait for all of them: a slow registry costs seconds, not minutes. */
const parallel = 8
const deadlineMs = 10_000

export interface DependencyNeed {
  /** `>=22.19.0`: the lowest node every pinned dependency accepts. */
  range: string
  /** `undici@8.1.0 (install/package.json:154; engines.node >=22.19.0 of that version in the registry)` */
  from: string
  /**
   * The strictest is a range yarn.lock locks, not a pin the repository wrote: against the
   * repository's own node pin it yields (Berry does not enforce engines; the app may run anyway).
   */
  locked?: true
}

/**
 * The exact pins of `file`'s dependencies and devDependencies (what a development install
 * installs), and, beside a yarn.lock (which records no engines), the versions it locks for the
 * ranges.
 */
async function exactPins(file: string): Promise<(Release & { line: number; locked?: true })[]> {
  const text = await readFile(file, 'utf8').catch(() => undefined)
  if (text === undefined) return []
  const lock = await readFile(path.join(path.dirname(file), 'yarn.lock'), 'utf8').catch(() => undefined)
  const locked = lock === undefined ? undefined : yarnLocked(lock)
  let pkg: { dependencies?: unknown; devDependencies?: unknown }
  try {
    pkg = JSON.parse(text)
  } catch {
    return [] // A broken package.json is the dependencies step's to report.
  }
  const lines = text.split('\n')
  const pins: (Release & { line: number; locked?: true })[] = []
  for (const group of [pkg.dependencies, pkg.devDependencies]) {
    if (!group || typeof group !== 'object') continue
    for (const [name, spec] of Object.entries(group)) {
      const pinned = typeof spec === 'string' ? exact.exec(spec.trim())?.[1] : undefined
      const version = pinned ?? (typeof spec === 'string' ? locked?.get(`${name}@${spec.trim()}`) : undefined)
      if (!version) continue
      const line = lines.findIndex((l) => l.includes(`"${name}"`)) + 1
      pins.push({ pkg: name, version, line, ...(pinned ? {} : { locked: true as const }) })
    }
  }
  return pins
}

/**
 * What the exact pins of `manifest` (a package.json) need of node, or undefined when nothing is
 * known: no exact pins, no answer from the registry, or no version every pin accepts (then the
 * install's own refusal is the clearer report).
 */
export async function pinnedDependencyNeed(
  manifest: string,
  root: string,
  env: Record<string, string>,
): Promise<DependencyNeed | undefined> {
  const pins = await exactPins(manifest)
  if (pins.length === 0) return undefined
  const registry = env.npm_config_registry || 'https://registry.npmjs.org'
  const signal = AbortSignal.timeout(deadlineMs)
  const answers: { pin: (typeof pins)[number]; range: string }[] = []
  let next = 0
  let offline = false
  const worker = async () => {
    while (!offline && next < pins.length) {
      const pin = pins[next++]!
      const range = await releaseNodeRange(registry, pin, env, signal)
      if (range === 'offline') offline = true
      else if (range !== 'missing' && range !== '') answers.push({ pin, range })
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker))
  await loadSemver()
  const valid = answers.filter((a) => semver().validRange(a.range) !== null)
  if (valid.length === 0) return undefined
  const { lowestSatisfyingAll } = await import('../dependencies/lowest-node.js')
  const lowest = lowestSatisfyingAll(valid.map((a) => a.range))
  if (!lowest) return undefined
  const floor = (range: string) => semver().minVersion(range)?.version ?? '0.0.0'
  const strictest = valid.sort((a, b) => semver().compare(floor(b.range), floor(a.range)))[0]!
  const at = `${path.relative(root, manifest)}:${strictest.pin.line}`
  return {
    range: `>=${lowest}`,
    from: `${strictest.pin.pkg}@${strictest.pin.version} (${at}; engines.node ${strictest.range} of that version in the registry)`,
    ...(strictest.pin.locked ? { locked: true as const } : {}),
  }
}
