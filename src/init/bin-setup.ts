// The `bin/setup` that `devsetup init --bin-setup` writes: a team keeps its `bin/setup` habit,
// devsetup does the work. POSIX sh, so it runs before anything else is installed.
import { NPX_COMMAND, PACKAGE_NAME, PACKAGE_SPEC } from '../package-name.js'

/**
 * - The repository root comes from the script's own path, so `../bin/setup` from a subfolder works.
 * - A devsetup installed in the repository (a devDependency) wins: its version is the lockfile's,
 *   and nothing is downloaded.
 * - Then a `devsetup` on PATH (a global install, `npm link` in a clone): what the person already
 *   runs by hand, and it works before the package is on the registry.
 * - Otherwise npx fetches the pinned package (never the bare name `devsetup`, which is an unrelated
 *   package); one line on stderr says so first, stdout stays clean for `--json`.
 * - exec: devsetup's exit code and signals are the script's own.
 */
export const binSetupScript = `#!/bin/sh
# Brings this repository to a working development environment: see devsetup.yml.
# Arguments go to devsetup (bin/setup doctor, bin/setup --dry-run, ...); it works from any folder.
# Written by \`devsetup init --bin-setup\`; devsetup is the npm package ${PACKAGE_NAME}.
set -e
# The repository root: the folder above this script's own, wherever it is run from.
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
# A devsetup installed in the repository wins: its version is the one the lockfile pins.
if [ -x node_modules/.bin/devsetup ]; then
  exec node_modules/.bin/devsetup "$@"
fi
# Then the devsetup on PATH (a global install, or \`npm link\` in a clone of devsetup).
if command -v devsetup >/dev/null 2>&1; then
  exec devsetup "$@"
fi
if ! command -v npx >/dev/null 2>&1; then
  echo "bin/setup: devsetup needs Node.js 20.5 or newer, and npx is not on PATH: install Node.js (https://nodejs.org/), then run bin/setup again" >&2
  exit 127
fi
echo "bin/setup: devsetup is neither in node_modules nor on PATH: fetching ${PACKAGE_SPEC} with npx (from the npm registry, or npx's cache)" >&2
exec ${NPX_COMMAND} "$@"
`
