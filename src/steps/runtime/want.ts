// What version the step wants, and why: `version:` in the recipe (which overrides the files),
// `version: file:<path>`, or the repository's own version files.
import type { CheckContext } from '../define.js'
import type { Language } from './languages.js'
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
