// Node's own managers: fnm, nvm (a shell function, so it runs inside bash), volta and n.
import path from 'node:path'
import { exists } from '../../../engine/which.js'
import type { InstallRequest } from './types.js'
import { home, lastLine, locateBinary, type Manager } from './types.js'

/** nvm and fnm spell "newest" and "newest LTS" their own way. */
function nodeAlias({ spec, target }: InstallRequest, latest: string, lts: string): string {
  if (spec.kind === 'latest' || spec.kind === 'any') return latest
  if (spec.kind === 'lts') return lts
  return target
}

export const nvm: Manager = {
  name: 'nvm',
  handles: (lang) => lang.name === 'node',
  async locate(env) {
    for (const dir of [env.NVM_DIR, home(env, '.nvm')]) {
      if (dir && (await exists(path.join(dir, 'nvm.sh')))) return path.join(dir, 'nvm.sh')
    }
    return undefined
  },
  fixCommand: (request) => `nvm install ${nodeAlias(request, 'node', "'lts/*'")}`,
  async install(script, request, ctx) {
    const version = nodeAlias(request, 'node', 'lts/*')
    // nvm is a shell function: source it, install (progress to stderr), then print the binary's path.
    const result = await ctx.exec(
      ['bash', '-c', '. "$1" --no-use && nvm install "$2" 1>&2 && nvm which "$2"', 'bash', script, version],
      { env: { NVM_DIR: path.dirname(script) } },
    )
    return path.dirname(lastLine(result.stdout))
  },
  shellHint: (request) =>
    `restart your shell, or run: nvm use ${nodeAlias(request, 'node', "'lts/*'")} (an .nvmrc lets \`nvm use\` pick it)`,
}

export const fnm: Manager = {
  name: 'fnm',
  handles: (lang) => lang.name === 'node',
  locate: (env) =>
    locateBinary('fnm', env, [home(env, '.local', 'share', 'fnm', 'fnm'), home(env, '.fnm', 'fnm')]),
  fixCommand: (request) => `fnm install ${nodeAlias(request, '--latest', '--lts')}`,
  async install(fnm, request, ctx) {
    const installed = await ctx.exec([fnm, 'install', nodeAlias(request, '--latest', '--lts')])
    // fnm prints "Installing Node v22.3.0": use the exact version for aliases it resolved itself.
    const exact = /v(\d+\.\d+\.\d+)/.exec(installed.all)?.[1] ?? request.target
    const where = await ctx.exec([fnm, 'exec', `--using=${exact}`, 'node', '-p', 'process.execPath'])
    return path.dirname(lastLine(where.stdout))
  },
  shellHint: () => 'restart your shell, or run: eval "$(fnm env --use-on-cd)"',
}

export const volta: Manager = {
  name: 'volta',
  handles: (lang) => lang.name === 'node',
  locate: (env) =>
    locateBinary('volta', env, [
      env.VOLTA_HOME ? path.join(env.VOLTA_HOME, 'bin', 'volta') : undefined,
      home(env, '.volta', 'bin', 'volta'),
    ]),
  fixCommand: (request) => `volta install node@${nodeAlias(request, 'latest', 'lts')}`,
  async install(volta, request, ctx) {
    await ctx.exec([volta, 'install', `node@${nodeAlias(request, 'latest', 'lts')}`])
    // Outside the repository, so a `volta` pin in its package.json does not pick another version.
    const where = await ctx.exec([volta, 'which', 'node'], { cwd: ctx.env.HOME ?? '/' })
    return path.dirname(lastLine(where.stdout))
  },
  shellHint: () => 'restart your shell (volta made it the default); pin it with: volta pin node@<version>',
}

export const n: Manager = {
  name: 'n',
  handles: (lang) => lang.name === 'node',
  locate: (env) => locateBinary('n', env, []),
  fixCommand: (request) => `n install ${nodeAlias(request, 'latest', 'lts')}`,
  async install(nBin, request, ctx) {
    const version = nodeAlias(request, 'latest', 'lts')
    await ctx.exec([nBin, 'install', version])
    const where = await ctx.exec([nBin, 'which', version])
    return path.dirname(lastLine(where.stdout))
  },
  shellHint: () => 'restart your shell (n installed it as the default node)',
}
