// semver for the runtime step, loaded on first need. The common specs (`>=20.5`, `22`, lts
// lines) and the running node's own version need none of it (simple-range.ts), so a no-op of
// such a recipe does not load it. The code that does need it is synchronous, so: the schema
// (a parse) loads it up front; `run` loads it before anything else; `check` and `doctor` run
// their check through withSemver, which loads it and checks again when the check needed it.
// A check is read-only, so starting it again is safe.
import type Semver from 'semver'

let loaded: typeof Semver | undefined

export class SemverNotLoaded extends Error {
  constructor() {
    super('semver was used before loadSemver() (src/steps/runtime/semver.ts)')
  }
}

/** semver itself, once loaded; throws SemverNotLoaded before. */
export function semver(): typeof Semver {
  if (!loaded) throw new SemverNotLoaded()
  return loaded
}

export function provideSemver(module: typeof Semver): void {
  loaded = module
}

export async function loadSemver(): Promise<void> {
  loaded ??= (await import('semver')).default
}

/** `work`, and once more with semver loaded if it turned out to need it. */
export async function withSemver<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof SemverNotLoaded)) throw error
    await loadSemver()
    return work()
  }
}
