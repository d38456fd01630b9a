// mise and asdf: the polyglot managers, preferred for every language they know.
import path from 'node:path'
import { home, lastLine, locateBinary, type Manager } from './types.js'

export const mise: Manager = {
  name: 'mise',
  handles: (lang) => lang.mise !== undefined,
  locate: (env) => locateBinary('mise', env, [home(env, '.local', 'bin', 'mise'), '/opt/homebrew/bin/mise']),
  fixCommand: ({ lang, target }) => `mise install ${lang.mise}@${target}`,
  async install(mise, { lang, target }, ctx) {
    const tool = `${lang.mise}@${target}`
    await ctx.exec([mise, 'install', tool])
    // `mise where` resolves a prefix ("22") to the installed version it picked.
    const where = await ctx.exec([mise, 'where', tool])
    return path.join(lastLine(where.stdout), 'bin')
  },
  shellHint: ({ lang, target }) =>
    `restart your shell, or run: eval "$(mise activate bash)" (and \`mise use ${lang.mise}@${target}\` to pin it)`,
}

export const asdf: Manager = {
  name: 'asdf',
  handles: (lang) => lang.asdf !== undefined,
  locate: (env) =>
    locateBinary('asdf', env, [
      env.ASDF_DIR ? path.join(env.ASDF_DIR, 'bin', 'asdf') : undefined,
      home(env, '.asdf', 'bin', 'asdf'),
    ]),
  fixCommand: ({ lang, target }) =>
    /^\d+\.\d+\.\d+$/.test(target)
      ? `asdf install ${lang.asdf} ${target}`
      : `asdf install ${lang.asdf} latest:${target}`,
  async install(asdf, { lang, target }, ctx) {
    const plugin = lang.asdf!
    const plugins = await ctx.exec([asdf, 'plugin', 'list'], { reject: false })
    if (!plugins.stdout.split(/\s+/).includes(plugin)) await ctx.exec([asdf, 'plugin', 'add', plugin])
    // asdf wants an exact version: resolve "22" / "latest" with `asdf latest` first.
    let version = target
    if (!/^\d+\.\d+\.\d+$/.test(target)) {
      const args = target === 'latest' ? [plugin] : [plugin, target]
      version = lastLine((await ctx.exec([asdf, 'latest', ...args])).stdout)
    }
    await ctx.exec([asdf, 'install', plugin, version])
    const where = await ctx.exec([asdf, 'where', plugin, version])
    return path.join(lastLine(where.stdout), 'bin')
  },
  shellHint: ({ lang, target }) =>
    `restart your shell, and pin it for the repository with: asdf set ${lang.asdf} ${target} (asdf local on asdf < 0.16)`,
}
