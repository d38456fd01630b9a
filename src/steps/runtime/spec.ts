// Version specs: what a recipe or a version file asks for, and whether a found version satisfies it.
// Everything is decided offline: node's LTS lines come from a static table, and `latest`
// is satisfied by any version (knowing the newest release would need the network).
import { gemRequirementRange } from './ruby.js'
import { semver } from './semver.js'
import { simpleSatisfies, simpleValidRange, simpleVersion } from './simple-range.js'

export type SpecKind = 'any' | 'latest' | 'lts' | 'range'

export interface VersionSpec {
  /** As written: "22", "lts/iron", ">=3.11 <3.13". */
  raw: string
  kind: SpecKind
  /** The semver range checked (kind `range` and `lts`). */
  range?: string
  /** What a version manager is asked to install: "22", "3.12", "20.11.1", "latest". */
  installTarget: string
}

/** Node's LTS lines, newest last. nvm/fnm accept `lts/<codename>`; keep in step with nodejs.org. */
export const nodeLtsLines: ReadonlyArray<readonly [codename: string, major: number]> = [
  ['argon', 4],
  ['boron', 6],
  ['carbon', 8],
  ['dubnium', 10],
  ['erbium', 12],
  ['fermium', 14],
  ['gallium', 16],
  ['hydrogen', 18],
  ['iron', 20],
  ['jod', 22],
  ['krypton', 24],
]

const expected =
  'expected a version such as 22, 3.12, 20.11.1, a range (>=3.11 <3.13), lts/*, lts/iron or latest'

export interface SpecOptions {
  /** `lts/…` is meaningful for node only. */
  allowLts: boolean
  /** Versions of this language are installed by major line (node, java) rather than major.minor (python). */
  installByMajor: boolean
  /** RubyGems requirements (`~> 3.1`, `>= 3.0, < 3.4`) mean what they mean to Bundler (ruby). */
  gemRequirements?: boolean
}

/** Parses a spec; a string result is the error message. */
export function parseSpec(input: string, options: SpecOptions): VersionSpec | string {
  const raw = input.trim()
  const lower = raw.toLowerCase()
  if (raw === '') return `empty version: ${expected}`
  if (lower === 'system' || lower === '*' || lower === 'x')
    return { raw, kind: 'any', installTarget: 'latest' }
  if (['latest', 'stable', 'current', 'node'].includes(lower)) {
    return { raw, kind: 'latest', installTarget: 'latest' }
  }
  if (lower === 'lts' || lower.startsWith('lts/')) {
    if (!options.allowLts)
      return `\`${raw}\` is a node LTS alias; ${expected.replace(', lts/*, lts/iron', '')}`
    return parseLts(raw, lower.slice(4))
  }
  const text = (options.gemRequirements && gemRequirementRange(raw)) || raw
  const plain = /^v?(\d+(?:\.\d+){0,2})$/.exec(text)
  if (plain) {
    const version = plain[1]!
    return { raw, kind: 'range', range: version, installTarget: version }
  }
  const range = simpleValidRange(text) ?? semver().validRange(text, { loose: true })
  if (range === null) return `not a version: ${expected}`
  // Only an install needs the target, and working it out takes most of semver: on first use.
  let target: string | undefined
  return {
    raw,
    kind: 'range',
    range,
    get installTarget() {
      target ??= rangeInstallTarget(range, options)
      return target
    },
  }
}

function parseLts(raw: string, alias: string): VersionSpec | string {
  const newest = nodeLtsLines[nodeLtsLines.length - 1]![1]
  // `lts/*` is "the newest LTS line": any even major from the newest known one on, so that a
  // newer LTS installed by nvm after this table was written still counts.
  if (alias === '' || alias === '*')
    return { raw, kind: 'lts', range: `>=${newest}`, installTarget: String(newest) }
  const back = /^-(\d+)$/.exec(alias)
  const line = back
    ? nodeLtsLines[nodeLtsLines.length - 1 - Number(back[1])]
    : nodeLtsLines.find(([codename]) => codename === alias)
  if (!line) {
    const names = nodeLtsLines.map(([c]) => c).join(', ')
    return `unknown node LTS line \`${raw}\`: expected lts/*, lts/-1 or lts/<codename> (${names})`
  }
  return { raw, kind: 'range', range: `${line[1]}.x`, installTarget: String(line[1]) }
}

/**
 * A manager needs one concrete thing to install for a range, and installs the newest release of
 * what it is given. For node, the newest LTS line the range allows (">=18" → "24", "<18" → "16");
 * otherwise the range's lowest line. Then the widest target whose newest release still satisfies:
 * the major ("^20.5" → "20"), else major.minor ("~20.5.1" → "20.5"), else the exact minimum.
 * The check afterwards verifies the result.
 */
function rangeInstallTarget(range: string, options: SpecOptions): string {
  let bounded = range
  if (options.allowLts) {
    const lts = nodeLtsLines
      .map(([, major]) => major)
      .reverse()
      .find((major) => semver().intersects(`${major}.x`, range, { loose: true }))
    // Bottom out at the chosen line, so the minimum below is taken inside it.
    if (lts !== undefined) bounded = `${range.split('||').join(` >=${lts}.0.0 ||`)} >=${lts}.0.0`
  }
  const min = semver().minVersion(bounded, { loose: true })
  if (!min) return 'latest'
  // The newest release of a line is unknown offline; a very high one stands in for it.
  const newestOf = (line: string) => semver().satisfies(`${line}.999999`, bounded, { loose: true })
  if (options.installByMajor && newestOf(`${min.major}.999999`)) return String(min.major)
  if (newestOf(`${min.major}.${min.minor}`)) return `${min.major}.${min.minor}`
  return min.version
}

export function satisfies(version: string, spec: VersionSpec): boolean {
  if (spec.kind === 'any' || spec.kind === 'latest') return true
  if (spec.kind === 'lts' && (simpleVersion(version)?.[0] ?? semver().major(version)) % 2 !== 0) return false
  return simpleSatisfies(version, spec.range!) ?? semver().satisfies(version, spec.range!, { loose: true })
}

/** "22", ">=3.11 <3.13", "lts/iron (20.x)": how a spec reads in a reason. */
export function describeSpec(spec: VersionSpec): string {
  if (spec.kind === 'range' && spec.raw.toLowerCase().startsWith('lts')) return `${spec.raw} (${spec.range})`
  if (spec.kind === 'lts') return `${spec.raw} (an LTS line, ${spec.range})`
  if (spec.kind === 'any') return 'any version'
  return spec.raw
}

// semver.coerce's pattern, with numbers short enough to be safe integers: reading `ruby -v` or
// `python3 --version` on a no-op run then needs no semver (loading it restarts the check, and
// with it the version command: a second process).
const plainCoerce = /(?:^|[^\d])(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?(?:$|[^\d])/

/** The first version-looking part of a tool's output ("go version go1.22.1 linux/amd64" → 1.22.1). */
export function coerceVersion(text: string): string | undefined {
  const m = plainCoerce.exec(text)
  if (m && !/\d{10}/.test(text)) return `${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}`
  return semver().coerce(text, { loose: true })?.version
}
