// The public npm name `devsetup` belongs to an unrelated package, so every hint
// that tells a user how to run devsetup names this package, pinned to its line.
// The command it installs is still `devsetup` (package.json "bin").
import { existsSync, realpathSync } from 'node:fs'
import path from 'node:path'

export const PACKAGE_NAME = 'repo-devsetup'
/** What `npx` should fetch: the package pinned to the release line this build belongs to. */
export const PACKAGE_SPEC = `${PACKAGE_NAME}@0.1`
/** The command a user without devsetup installed types, e.g. `npx --yes repo-devsetup@0.1 doctor`. */
export const NPX_COMMAND = `npx --yes ${PACKAGE_SPEC}`
/** Where the docs live (package.json `homepage`; a placeholder until the project has its home). */
export const PACKAGE_HOME = 'https://github.com/devsetup/devsetup#readme'

const real = (file: string): string | undefined => {
  try {
    return realpathSync(file)
  } catch {
    return undefined
  }
}

/**
 * The command that runs this devsetup, as the hints devsetup prints should name it: a hint is
 * only true if typing it runs devsetup. Asked of the file system, not of npm's environment
 * variables (an `npm run` or `npx` of a local install sets the same ones):
 * - started from npx's cache (`…/_npx/<hash>/node_modules/…`): the pinned npx command;
 * - a `devsetup` on PATH that is this very file (a global install, `npm link` in a clone):
 *   `devsetup`. PATH folders named node_modules/.bin are skipped: npm puts them there only for
 *   its own scripts, not in the user's shell;
 * - installed in a project's node_modules: `node_modules/.bin/devsetup`;
 * - otherwise (a clone run by its path): `node <that path>`.
 */
export function runningCommand(
  script: string | undefined = process.argv[1],
  env: NodeJS.ProcessEnv = process.env,
): string {
  const self = script ? real(script) : undefined
  if (!self) return NPX_COMMAND
  const parts = self.split(path.sep)
  if (parts.includes('_npx')) return NPX_COMMAND
  const names = process.platform === 'win32' ? ['devsetup.cmd', 'devsetup'] : ['devsetup']
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir || dir.split(/[\\/]/).slice(-2).join('/') === 'node_modules/.bin') continue
    for (const name of names) {
      const candidate = path.join(dir, name)
      if (existsSync(candidate) && real(candidate) === self) return 'devsetup'
    }
  }
  if (parts.includes('node_modules')) return 'node_modules/.bin/devsetup'
  return `node ${/^[\w@%+=:,./-]+$/.test(script!) ? script : `'${script!.replaceAll("'", `'\\''`)}'`}`
}
