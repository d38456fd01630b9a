// Which exact version to install, decided from the versions the npm registry lists for the
// platform package: the one source we need reachable, queried through the user's own npm
// (its registry mirror, proxy and auth settings apply).
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { UserError } from '../../../errors.js'
import { bestInstalled } from '../managers/envs.js'
import type { ManagerContext } from '../managers/types.js'
import { semver } from '../semver.js'
import { describeSpec, type VersionSpec } from '../spec.js'

/** Flags for every npm call: no "new npm available" banner in the step's output. */
export const npmQuiet = ['--no-update-notifier', '--loglevel=error']

/**
 * `npm view <what…> --json`, parsed. The answer (hundreds of lines for node's versions) goes to a
 * file, not into the step's live output. `about` names what was asked, for the error.
 */
export async function npmView(
  npm: string,
  what: string[],
  about: string,
  ctx: ManagerContext,
): Promise<unknown> {
  const dir = await mkdtemp(path.join(tmpdir(), 'devsetup-view-'))
  const file = path.join(dir, 'view.json')
  try {
    // `sh -c 'exec "$@" > "$0"' <file> npm view …`: the npm command reads as it runs in the log.
    const view = [npm, 'view', ...what, '--json', ...npmQuiet]
    const result = await ctx.exec(['sh', '-c', 'exec "$@" > "$0"', file, ...view], { reject: false })
    const text = await readFile(file, 'utf8').catch(() => '')
    if (result.exitCode === 0) {
      try {
        return JSON.parse(text) as unknown
      } catch {
        // Falls through to the error below with npm's own words.
      }
    }
    // npm's line naming the URL it failed on says most ("request to http://… failed, reason: …").
    const lines = `${result.stderr}\n${text}`.split('\n').filter((l) => /\S/.test(l))
    const why = lines.find((l) => /https?:\/\//.test(l)) ?? lines[0] ?? ''
    throw new UserError(
      `cannot list ${about} from the npm registry: \`npm view\` exited ${result.exitCode}: ${why.trim()}`,
      'check the network and `npm config get registry` (a mirror must also serve this package)',
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** `npm view <pkg> versions`: an array, or a bare string when only one version exists. */
export async function registryVersions(npm: string, pkg: string, ctx: ManagerContext): Promise<string[]> {
  const parsed = await npmView(npm, [pkg, 'versions'], `the versions of ${pkg}`, ctx)
  const list = Array.isArray(parsed) ? parsed : [parsed]
  return list.filter((v): v is string => typeof v === 'string')
}

/**
 * The newest stable version satisfying `spec`, preferably inside the line a version manager would
 * be asked for (`>=18` → the newest 24.x, as with mise), else anywhere the spec allows.
 */
export function pickVersion(versions: string[], spec: VersionSpec): string | undefined {
  const line = semver().validRange(spec.installTarget)
  const inLine = line ? versions.filter((v) => semver().valid(v) && semver().satisfies(v, line)) : []
  return bestInstalled(inLine, spec) ?? bestInstalled(versions, spec)
}

/** The exact version to install, or a UserError naming what the registry has nearby. */
export async function resolveVersion(
  npm: string,
  pkg: string,
  spec: VersionSpec,
  ctx: ManagerContext,
): Promise<string> {
  const versions = await registryVersions(npm, pkg, ctx)
  const picked = pickVersion(versions, spec)
  if (picked) return picked
  const stable = semver().sort(versions.filter((v) => semver().valid(v) && !semver().prerelease(v)))
  const major = semver().minVersion(spec.range ?? '*')?.major
  const near = stable.filter((v) => semver().major(v) === major).slice(-5)
  const shown = near.length ? near : stable.slice(-5)
  throw new UserError(
    `the npm registry has no ${pkg} matching ${describeSpec(spec)} (it has ${shown.join(', ') || 'no versions'})`,
    'pick a version it has with `version:` in the recipe, or install one with a version manager',
  )
}
