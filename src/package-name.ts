// The public npm name `devsetup` belongs to an unrelated package, so every hint
// that tells a user how to run devsetup names this package, pinned to its line.
// The command it installs is still `devsetup` (package.json "bin").
export const PACKAGE_NAME = 'repo-devsetup'
/** What `npx` should fetch: the package pinned to the release line this build belongs to. */
export const PACKAGE_SPEC = `${PACKAGE_NAME}@0.1`
/** The command a user without devsetup installed types, e.g. `npx --yes repo-devsetup@0.1 doctor`. */
export const NPX_COMMAND = `npx --yes ${PACKAGE_SPEC}`
