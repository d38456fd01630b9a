// The common version specs without semver: ">=20.5", ">=3.11 <3.13", "22", "3.12". semver
// builds some 40 regular expressions on its first use (~5 ms of a no-op run, in both the recipe's
// validation and the runtime check); these specs need none of them. Only a narrow grammar is
// taken: comparators with an operator, or one bare version, every number 1-9 digits without a
// leading zero and a major of at least 1 (semver treats >=0 and <0 specially). Anything else
// returns undefined and the caller asks semver. test/unit/simple-range.test.ts checks every
// answer against semver itself.

type Op = '>=' | '>' | '<=' | '<' | ''

interface Comparator {
  op: Op
  version: [number, number, number]
  /** `-0`: the bound excludes the prereleases of `version` (semver's `<20.0.0-0`). */
  belowPrereleases: boolean
}

const num = '(0|[1-9]\\d{0,8})'
const token = new RegExp(`^(>=|<=|>|<)?${num}(?:\\.${num}(?:\\.${num}(-0)?)?)?$`)
const releaseVersion = new RegExp(`^${num}\\.${num}\\.${num}$`)

/** One token as semver desugars it (classes/range.js: replaceXRange, then Comparator). */
function desugar(text: string, alone: boolean): Comparator[] | undefined {
  const m = token.exec(text)
  if (!m) return undefined
  const op = (m[1] ?? '') as Op
  const [M, minor, patch] = [Number(m[2]), m[3], m[4]]
  if (M === 0) return undefined
  const cmp = (o: Op, v: [number, number, number], below = false): Comparator => ({
    op: o,
    version: v,
    belowPrereleases: below,
  })
  if (m[5] !== undefined) return op === '<' ? [cmp('<', [M, Number(minor), Number(patch)], true)] : undefined
  if (patch !== undefined) {
    // A bare full version among others reads as an exact comparator; keep that to semver.
    if (op === '' && !alone) return undefined
    return [cmp(op, [M, Number(minor), Number(patch)])]
  }
  const m2 = minor === undefined ? undefined : Number(minor)
  const next: [number, number, number] = m2 === undefined ? [M + 1, 0, 0] : [M, m2 + 1, 0]
  const floor: [number, number, number] = [M, m2 ?? 0, 0]
  switch (op) {
    case '>=':
      return [cmp('>=', floor)]
    case '>':
      return [cmp('>=', next)]
    case '<':
      return [cmp('<', floor, true)]
    case '<=':
      return [cmp('<', next, true)]
    default:
      return alone ? [cmp('>=', floor), cmp('<', next, true)] : undefined
  }
}

const show = (c: Comparator) => `${c.op}${c.version.join('.')}${c.belowPrereleases ? '-0' : ''}`

function parse(range: string): Comparator[] | undefined {
  const tokens = range.trim().split(/\s+/)
  const all: Comparator[] = []
  for (const text of tokens) {
    const comparators = desugar(text, tokens.length === 1)
    if (!comparators) return undefined
    all.push(...comparators)
  }
  // semver keeps one of each comparator, where it first appeared.
  const seen = new Set<string>()
  return all.filter((c) => !seen.has(show(c)) && seen.add(show(c)))
}

/** What `semver.validRange(range, { loose: true })` returns, when the range is in the grammar. */
export function simpleValidRange(range: string): string | undefined {
  return parse(range)?.map(show).join(' ')
}

/** A release version (no prerelease, no build) as numbers, when it is written plainly. */
export function simpleVersion(version: string): [number, number, number] | undefined {
  const m = releaseVersion.exec(version)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1
  return 0
}

/**
 * `semver.satisfies(version, range, { loose: true })` for a plain release version and a range
 * in the grammar; undefined otherwise. A release is below `X.Y.Z-0` exactly when it is below X.Y.Z.
 */
export function simpleSatisfies(version: string, range: string): boolean | undefined {
  const v = simpleVersion(version)
  const comparators = v && parse(range)
  if (!v || !comparators) return undefined
  return comparators.every((c) => {
    const order = compare(v, c.version)
    switch (c.op) {
      case '>=':
        return order >= 0
      case '>':
        return order > 0
      case '<=':
        return order <= 0
      case '<':
        return order < 0
      default:
        return order === 0
    }
  })
}
