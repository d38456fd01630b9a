// What version the step wants, and why: `version:` in the recipe (which overrides the files),
// `version: file:<path>`, or the repository's own version files; for node, narrowed by what
// the repository's `packageManager` release needs (manager-engines.ts) and by what the exact pins
// of its package.json need (dependency-engines.ts).
import path from 'node:path'
import type { CheckContext } from '../define.js'
import { pinnedDependencyNeed } from './dependency-engines.js'
import type { Language } from './languages.js'
import { managerNodeRange, packageManagerPin } from './manager-engines.js'
import { semver } from './semver.js'
import { parseSpec, type VersionSpec } from './spec.js'
import { findPinnedVersion, type PinnedVersion, readPinFile } from './version-files.js'

export interface Wanted {
  spec: VersionSpec
  /** Who asks: ".nvmrc", "package.json", "the recipe"; undefined when nothing pins a version. */
  source: string | undefined
}

export const specOptions = (lang: Language) => ({
  allowLts: lang.name === 'node',
  installByMajor: lang.installByMajor,
  gemRequirements: lang.name === 'ruby',
})

const anyVersion: VersionSpec = { raw: '*', kind: 'any', installTarget: 'latest' }

/** The wanted version, or a problem (a string) naming the file and line at fault. */
export async function resolveWanted(
  lang: Language,
  version: string | undefined,
  ctx: Pick<CheckContext, 'cwd' | 'root'> & Partial<Pick<CheckContext, 'env'>>,
): Promise<Wanted | string> {
  const wanted = await resolvePinned(lang, version, ctx)
  // Without the environment (a unit test of the files alone) the registry is not asked.
  if (typeof wanted === 'string' || lang.name !== 'node' || !ctx.env) return wanted
  const withManager = await withManagerNeeds(lang, wanted, { ...ctx, env: ctx.env })
  if (typeof withManager === 'string') return withManager
  const manifest =
    withManager.source && path.basename(withManager.source) === 'package.json'
      ? path.resolve(ctx.root, withManager.source)
      : path.join(ctx.cwd, 'package.json')
  const need = await pinnedDependencyNeed(manifest, ctx.root, ctx.env)
  if (!need) return withManager
  const both = narrowed(lang, withManager, need.range, need.from)
  // A locked range against the repository's own pin: the pin is the author's word.
  return typeof both === 'string' && need.locked ? withManager : both
}

async function resolvePinned(
  lang: Language,
  version: string | undefined,
  ctx: Pick<CheckContext, 'cwd' | 'root'>,
): Promise<Wanted | string> {
  if (version?.startsWith('file:')) {
    const file = version.slice('file:'.length).trim()
    const result = await readPinFile(file, ctx.cwd, ctx.root, lang)
    if (result.missing) return `${file} not found (the recipe says \`version: file:${file}\`)`
    if (!result.pin) return `${file} holds no ${lang.name} version`
    return fromPin(lang, result.pin)
  }
  if (version !== undefined) {
    const spec = parseSpec(version, specOptions(lang))
    // The schema already refused an unparseable spec; this only guards direct callers.
    return typeof spec === 'string' ? spec : { spec, source: 'the recipe' }
  }
  const pin = await findPinnedVersion(lang, ctx.cwd, ctx.root)
  return pin ? fromPin(lang, pin) : { spec: anyVersion, source: undefined }
}

function fromPin(lang: Language, pin: PinnedVersion): Wanted | string {
  if (pin.problem) return `${pin.file}:${pin.line}: ${pin.problem}`
  const spec = parseSpec(pin.value, specOptions(lang))
  if (typeof spec === 'string') return `${pin.file}:${pin.line}: \`${pin.value}\`: ${spec}`
  return { spec, source: pin.file }
}

/**
 * The wanted node narrowed to what the `packageManager` release needs: its range when nothing
 * else pins one, both when both can hold, and a problem naming both when none can.
 */
async function withManagerNeeds(
  lang: Language,
  wanted: Wanted,
  ctx: Pick<CheckContext, 'cwd' | 'root' | 'env'>,
): Promise<Wanted | string> {
  const pin = await packageManagerPin(ctx.cwd, ctx.root)
  const needs = pin && (await managerNodeRange(pin, ctx.env))
  if (!pin || !needs || !semver().validRange(needs)) return wanted
  const from = `${pin.release} (${pin.where} packageManager; engines.node of its release in the registry)`
  return narrowed(lang, wanted, needs, from)
}

/** `wanted` within `needs` (asked by `from`); a problem naming both when no version satisfies both. */
function narrowed(lang: Language, wanted: Wanted, needs: string, from: string): Wanted | string {
  const manager = parseSpec(needs, specOptions(lang))
  if (typeof manager === 'string') return wanted
  const own = wanted.spec.range
  if (wanted.spec.kind === 'any') return { spec: manager, source: from }
  if (own === undefined || semver().subset(own, needs)) return wanted
  if (!semver().intersects(own, needs))
    return `${wanted.source} wants node ${wanted.spec.raw}, but ${from} needs node ${needs}: no version satisfies both`
  // Both hold somewhere: the needed range within the pin, or (no `||` to distribute) the two together.
  const both = semver().subset(needs, own)
    ? manager
    : own.includes('||') || needs.includes('||')
      ? undefined
      : parseSpec(`${own} ${needs}`, specOptions(lang))
  if (both === undefined || typeof both === 'string') return wanted
  return { spec: both, source: `${wanted.source} and ${from}` }
}
