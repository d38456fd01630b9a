// The *env family (pyenv, rbenv, goenv) plus uv and ruby-install. They can hold many versions
// side by side, so an installed one that satisfies the spec is used before anything is downloaded.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { semver } from '../semver.js'
import { satisfies, type VersionSpec } from '../spec.js'
import { home, lastLine, locateBinary, type Manager, type ManagerContext } from './types.js'

/** The newest of `versions` (plain x.y.z only: virtualenvs and aliases are skipped) satisfying `spec`. */
export function bestInstalled(versions: string[], spec: VersionSpec): string | undefined {
  return versions
    .map((v) => v.trim())
    .filter((v) => /^\d+(\.\d+){1,2}$/.test(v) && satisfies(semver().coerce(v)!.version, spec))
    .sort((a, b) => semver().rcompare(semver().coerce(a)!, semver().coerce(b)!))[0]
}

function envManager(name: string, language: string): Manager {
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
    fixCommand: ({ target }) => `${name} install -s ${target}`,
    async install(bin, { spec, target }, ctx) {
      let version = bestInstalled(await installed(bin, ctx), spec)
      if (version) ctx.output(`${name} already has ${language} ${version}`)
      else {
        await ctx.exec([bin, 'install', '-s', target])
        version = bestInstalled(await installed(bin, ctx), spec)
        if (!version)
          throw new Error(`\`${name} install ${target}\` ran, but no installed version satisfies ${spec.raw}`)
      }
      const prefix = await ctx.exec([bin, 'prefix', version])
      return path.join(lastLine(prefix.stdout), 'bin')
    },
    shellHint: ({ target }) =>
      `restart your shell; pin it for the repository with: ${name} local ${target} (shims pick it from .${language}-version)`,
  }
}

export const pyenv = envManager('pyenv', 'python')
export const rbenv = envManager('rbenv', 'ruby')
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

/** ruby-install builds into ~/.rubies/ruby-X.Y.Z, where chruby finds it. */
export const rubyInstall: Manager = {
  name: 'ruby-install',
  handles: (lang) => lang.name === 'ruby',
  locate: (env) => locateBinary('ruby-install', env, []),
  fixCommand: ({ target }) => `ruby-install --no-reinstall ruby ${target}`,
  async install(bin, { spec, target }, ctx) {
    const rubies = home(ctx.env, '.rubies') ?? '/opt/rubies'
    const list = async () =>
      (await readdir(rubies).catch(() => [] as string[])).map((d) => d.replace(/^ruby-/, ''))
    let version = bestInstalled(await list(), spec)
    if (!version) {
      await ctx.exec([bin, '--no-reinstall', 'ruby', target])
      version = bestInstalled(await list(), spec)
      if (!version) throw new Error(`ruby-install ran, but no ruby in ${rubies} satisfies ${spec.raw}`)
    }
    return path.join(rubies, `ruby-${version}`, 'bin')
  },
  shellHint: ({ target }) =>
    `restart your shell, then: chruby ${target} (or write .ruby-version for chruby's auto-switch)`,
}
