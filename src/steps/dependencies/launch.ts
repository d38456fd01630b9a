// How this repository's own package manager is started on this machine: a yarn release the
// repository commits (`yarnPath` in .yarnrc.yml, `yarn-path` in .yarnrc) runs with node; a
// program on PATH runs as it is; pnpm or yarn missing from PATH run through corepack, which
// picks the version package.json's `packageManager` asks for (without one, pnpm-major.ts picks
// the pnpm major from the lockfile). The install, the check's fix
// line and --dry-run all show the same command. Only files are read: checks call this too.
import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { corepackForPathNode, corepackWithItsNode } from '../../engine/corepack.js'
import { exists, findOnPath, withoutShims } from '../../engine/which.js'
import { DevsetupError } from '../../errors.js'
import type { Manager } from './managers.js'
import { pnpmPin } from './pnpm-major.js'

/** `yarnPath: .yarn/releases/yarn-4.5.0.cjs` (berry) and `yarn-path ".yarn/releases/…"` (yarn 1). */
const yarnPathLines: readonly [file: string, line: RegExp][] = [
  ['.yarnrc.yml', /^yarnPath:[ \t]*(["']?)([^"'\n#]+?)\1[ \t]*(?:#.*)?$/m],
  ['.yarnrc', /^yarn-path[ \t]+(["']?)([^"'\n]+?)\1[ \t]*$/m],
]

/**
 * The yarn release the repository pins for `dir`, as an absolute path, or undefined. Yarn reads
 * its rc files from the project folder and every folder above it (a workspace's root holds
 * them), and resolves the path against the folder of the file that names it.
 */
export async function committedYarn(dir: string): Promise<string | undefined> {
  for (let folder = dir; ; folder = path.dirname(folder)) {
    for (const [name, line] of yarnPathLines) {
      const text = await readFile(path.join(folder, name), 'utf8').catch(() => undefined)
      const named = text === undefined ? undefined : line.exec(text)?.[2]
      if (named) {
        const release = path.resolve(folder, named)
        if (await exists(release)) return release
        throw new DevsetupError(
          `${path.join(folder, name)} names a yarn release that does not exist: ${named}`,
          {
            hint: 'commit the release file, or remove the line to use the yarn on PATH',
          },
        )
      }
    }
    if (path.dirname(folder) === folder) return undefined
  }
}

/**
 * The argv that runs `argv` here, or undefined when its program cannot be found. `dir` is the
 * folder the command runs in: paths inside it are made relative for showing.
 */
export async function launch(
  argv: readonly string[],
  dir: string,
  stepEnv: Record<string, string>,
): Promise<string[] | undefined> {
  const [program, ...args] = argv as [string, ...string[]]
  // devsetup's own yarn/pnpm shims would answer for themselves: look past them.
  const env = withoutShims(stepEnv)
  // The venv's own python: a path inside the project, not a program on PATH.
  if (program.includes('/')) return [path.resolve(dir, program), ...args]
  if (program === 'yarn') {
    const release = await committedYarn(dir)
    // node, not the file itself: releases are committed without the executable bit.
    if (release) return ['node', release, ...args]
  }
  if (await findOnPath(program, env)) return [program, ...args]
  if ((program === 'pnpm' || program === 'yarn') && (await findOnPath('corepack', env))) {
    // No pinned pnpm: the newest major that writes this lockfile, not corepack's newest.
    const spec = (program === 'pnpm' && (await pnpmPin(dir))?.spec) || program
    // Under another node than corepack's own (the runtime step put a .nvmrc's 16 first on PATH),
    // corepack runs with its own node when it would die in that one (corepack.ts).
    const own = await corepackWithItsNode(env)
    const pathNode = await findOnPath('node', env)
    if (
      own &&
      pathNode &&
      (await realpath(pathNode).catch(() => pathNode)) !== (await realpath(own[0]!).catch(() => own[0])) &&
      (await corepackForPathNode(env))
    )
      return [...own, spec, ...args]
    return ['corepack', spec, ...args]
  }
  return undefined
}

/** `launch`, or a DevsetupError saying how to get the manager. */
export async function launchOrThrow(
  argv: readonly string[],
  m: Manager,
  dir: string,
  env: Record<string, string>,
): Promise<string[]> {
  const found = await launch(argv, dir, env)
  if (found) return found
  throw new DevsetupError(`${argv[0]} is not installed (not found on PATH), so ${m.name} cannot install`, {
    hint: m.howToGet,
  })
}

/** A launched command as the user would type it in `dir`. */
export function shown(argv: readonly string[], dir: string): string {
  return argv.map((arg) => (arg.startsWith(`${dir}${path.sep}`) ? path.relative(dir, arg) : arg)).join(' ')
}
