// Ruby's folder-based managers: ruby-install (with chruby, which switches between what it built)
// and frum. Both keep one folder per version, so the folder listing is their own record of what
// is installed, and an installed version that satisfies the spec is used before anything is built.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import type { VersionSpec } from '../spec.js'
import { bestInstalled, releaseFor } from './envs.js'
import { home, locateBinary, type Manager, type ManagerContext } from './types.js'

/** The version folders under `dirs` (`prefix` stripped: ruby-install's "ruby-3.2.4"), by version. */
async function versionFolders(dirs: string[], prefix: string): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  for (const dir of dirs) {
    for (const entry of await readdir(dir).catch(() => [] as string[])) {
      const version = entry.startsWith(prefix) ? entry.slice(prefix.length) : entry
      if (!found.has(version)) found.set(version, path.join(dir, entry))
    }
  }
  return found
}

/** The bin folder of the newest installed version satisfying `spec`, or what `install()` then installs. */
async function installInFolders(
  dirs: string[],
  prefix: string,
  spec: VersionSpec,
  ctx: ManagerContext,
  install: () => Promise<unknown>,
): Promise<string> {
  const best = async () => {
    const folders = await versionFolders(dirs, prefix)
    const version = bestInstalled([...folders.keys()], spec)
    return version && path.join(folders.get(version)!, 'bin')
  }
  const before = await best()
  if (before) {
    ctx.output(`${before} is already installed`)
    return before
  }
  await install()
  const after = await best()
  if (!after) throw new Error(`the install ran, but no ruby in ${dirs.join(' or ')} satisfies ${spec.raw}`)
  return after
}

/** Where chruby looks: ruby-install builds into /opt/rubies as root, ~/.rubies otherwise. */
const rubiesDirs = (env: Record<string, string>) =>
  [home(env, '.rubies'), '/opt/rubies'].filter((d): d is string => d !== undefined)

export const rubyInstall: Manager = {
  name: 'ruby-install',
  handles: (lang) => lang.name === 'ruby',
  locate: (env) => locateBinary('ruby-install', env, []),
  // ruby-install takes a line ("3.2") and builds its newest release.
  fixCommand: ({ target }) => `ruby-install --no-reinstall ruby ${target}`,
  install: (bin, { spec, target }, ctx) =>
    installInFolders(rubiesDirs(ctx.env), 'ruby-', spec, ctx, () =>
      ctx.exec([bin, '--no-reinstall', 'ruby', target]),
    ),
  shellHint: ({ target }) =>
    `restart your shell, then: chruby ${target} (or write .ruby-version for chruby's auto-switch)`,
}

const frumDir = (env: Record<string, string>) => env.FRUM_DIR || home(env, '.frum')

export const frum: Manager = {
  name: 'frum',
  handles: (lang) => lang.name === 'ruby',
  locate: (env) => locateBinary('frum', env, [home(env, '.cargo', 'bin', 'frum')]),
  fixCommand: ({ target }) => `frum install ${target}`,
  async install(bin, request, ctx) {
    const root = frumDir(ctx.env)
    if (!root) throw new Error('frum keeps its rubies under $FRUM_DIR or ~/.frum: set HOME or FRUM_DIR')
    // frum installs exact releases: a line ("3.2") is resolved against its list first.
    return installInFolders([path.join(root, 'versions')], '', request.spec, ctx, async () => {
      const release = await releaseFor(bin, request, ['install', '--list'], ctx)
      await ctx.exec([bin, 'install', release])
    })
  },
  shellHint: ({ target }) =>
    `restart your shell (with eval "$(frum init)" in it), then: frum local ${target}`,
}
