// The *env family (pyenv, rbenv, goenv) plus uv. They can hold many versions
// side by side, so an installed one that satisfies the spec is used before anything is downloaded.
import path from 'node:path'
import { semver } from '../semver.js'
import { satisfies, type VersionSpec } from '../spec.js'
import {
  home,
  type InstallRequest,
  lastLine,
  locateBinary,
  type Manager,
  type ManagerContext,
} from './types.js'

/** The newest of `versions` (plain x.y.z only: virtualenvs and aliases are skipped) satisfying `spec`. */
export function bestInstalled(versions: string[], spec: VersionSpec): string | undefined {
  return versions
    .map((v) => v.trim())
    .filter((v) => /^\d+(\.\d+){1,2}$/.test(v) && satisfies(semver().coerce(v)!.version, spec))
    .sort((a, b) => semver().rcompare(semver().coerce(a)!, semver().coerce(b)!))[0]
}

export const exactVersion = (v: string) => /^\d+\.\d+\.\d+$/.test(v)

/** A release to install: `target` when exact, else the newest `listArgs` prints that satisfies. */
export async function releaseFor(
  bin: string,
  { spec, target }: Pick<InstallRequest, 'spec' | 'target'>,
  listArgs: string[] | undefined,
  ctx: ManagerContext,
): Promise<string> {
  if (!listArgs || exactVersion(target)) return target
  // The newest of the target's line, as managers that take a line install ("3.2" → 3.2.x).
  const listed = (await ctx.exec([bin, ...listArgs])).stdout
    .split('\n')
    .filter((v) => target === 'latest' || v.trim().startsWith(`${target}.`))
  const release = bestInstalled(listed, spec)
  if (!release)
    throw new Error(
      `\`${path.basename(bin)} ${listArgs.join(' ')}\` lists no release satisfying ${spec.raw}: update its list of releases`,
    )
  return release
}

/**
 * `listArgs`: how the manager lists the releases it can install, when `install` wants an exact
 * one (rbenv's ruby-build has no "newest 3.1"; pyenv and goenv resolve a line themselves).
 */
function envManager(name: string, language: string, listArgs?: string[]): Manager {
  const rootVar = `${name.toUpperCase()}_ROOT`
  const installed = async (bin: string, ctx: ManagerContext) =>
    (await ctx.exec([bin, 'versions', '--bare'], { reject: false })).stdout.split('\n')
  return {
    name,
    handles: (lang) => lang.name === language,
    locate: (env) =>
      locateBinary(name, env, [
        env[rootVar] ? path.join(env[rootVar], 'bin', name) : undefined,
        home(env, `.${name}`, 'bin', name),
      ]),
    fixCommand: ({ target }) =>
      listArgs && !exactVersion(target)
        ? `${name} install -s <the newest ${target} release \`${name} ${listArgs.join(' ')}\` lists>`
        : `${name} install -s ${target}`,
    async install(bin, request, ctx) {
      const { spec } = request
      let version = bestInstalled(await installed(bin, ctx), spec)
      if (version) ctx.output(`${name} already has ${language} ${version}`)
      else {
        const release = await releaseFor(bin, request, listArgs, ctx)
        await ctx.exec([bin, 'install', '-s', release])
        version = bestInstalled(await installed(bin, ctx), spec)
        if (!version)
          throw new Error(
            `\`${name} install ${release}\` ran, but no installed version satisfies ${spec.raw}`,
          )
      }
      const prefix = await ctx.exec([bin, 'prefix', version])
      return path.join(lastLine(prefix.stdout), 'bin')
    },
    shellHint: ({ target }) =>
      `restart your shell; pin it for the repository with: ${name} local ${target} (shims pick it from .${language}-version)`,
  }
}

export const pyenv = envManager('pyenv', 'python')
export const rbenv = envManager('rbenv', 'ruby', ['install', '--list-all'])
export const goenv = envManager('goenv', 'go')

export const uv: Manager = {
  name: 'uv',
  handles: (lang) => lang.name === 'python',
  locate: (env) =>
    locateBinary('uv', env, [home(env, '.local', 'bin', 'uv'), home(env, '.cargo', 'bin', 'uv')]),
  fixCommand: ({ spec, target }) =>
    spec.kind === 'range' ? `uv python install ${target}` : 'uv python install',
  async install(uvBin, { spec, target }, ctx) {
    const wanted = spec.kind === 'range' ? [target] : []
    await ctx.exec([uvBin, 'python', 'install', ...wanted])
    const found = await ctx.exec([uvBin, 'python', 'find', '--managed-python', ...wanted])
    return path.dirname(lastLine(found.stdout))
  },
  shellHint: () =>
    'restart your shell; uv-managed pythons are used by `uv run` and `uv venv` (pin: uv python pin)',
}
