// `runtime`: the language version a repository needs (node, ruby, python, go, java, bun, deno).
// check: the binary later steps will find on PATH satisfies the wanted version, or the one an
// earlier run installed does (then its bin folder goes first on PATH for the later steps).
// run: install it with the version manager the developer already has, then put its bin folder
// first on PATH for the rest of the run, so the following steps use the new version.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { z } from 'zod'
import { UserError } from '../errors.js'
import { type CheckContext, type CheckResult, defineStepBehavior } from './define.js'
import { cachedInstall, prependPath, recordedInstall } from './runtime/installed.js'
import { type Language, languages } from './runtime/languages.js'
import { findManager, selfInstall, versionManagersFor } from './runtime/managers/index.js'
import { probe } from './runtime/probe.js'
import type { schema } from './runtime/schema.js'
import { loadSemver, withSemver } from './runtime/semver.js'
import { describeSpec, satisfies } from './runtime/spec.js'
import { resolveWanted, type Wanted } from './runtime/want.js'

type RuntimeConfig = z.output<typeof schema>

const wantsText = (wanted: Wanted) =>
  wanted.source ? `${wanted.source} wants ${describeSpec(wanted.spec)}` : 'no version pinned: any version'

async function fixFor(lang: Language, wanted: Wanted, ctx: Pick<CheckContext, 'env'>): Promise<string> {
  const request = { lang, spec: wanted.spec, target: wanted.spec.installTarget }
  const found = await findManager(lang, ctx.env)
  return found
    ? found.manager.fixCommand(request, ctx.env)
    : lang.manualInstall(request.target, process.platform)
}

/**
 * A check this process met with a version from devsetup's shared cache (installed by another
 * repository's run, not recorded for this one), by step: the end of the `up` records it as this
 * repository's (settle), so a newer satisfying version another repository adds to the cache later
 * does not switch this one's runtime under its installed dependencies (kener: node 24.22.3, then
 * 25.9.0 once another run put it there — doctor red, npm ci again on another Node).
 */
const pickedFromCache = new Map<string, { binDir: string; version: string }>()

export const runtime = defineStepBehavior<typeof schema>({
  type: 'runtime',
  description:
    'a language version (node, ruby, python, go, java, bun, deno), installed with your version manager or, for node, bun and deno, from the npm registry',
  form: 'nested',
  title: (cfg: RuntimeConfig) => `${cfg.name} ${cfg.version ?? '(version from the repository)'}`,

  // semver is loaded only when this check turns out to need it (runtime/semver.ts).
  check: (cfg, ctx) => withSemver(() => checkRuntime(cfg, ctx)),

  async settle(_cfg, ctx) {
    const picked = pickedFromCache.get(ctx.stepId)
    if (picked) record(ctx, picked, selfInstall.name)
  },

  async run(cfg, ctx) {
    await loadSemver()
    const lang = languages[cfg.name]!
    const wanted = await resolveWanted(lang, cfg.version, ctx)
    if (typeof wanted === 'string')
      throw new UserError(wanted, 'correct the version, or set `version:` in the recipe')
    const target = wanted.spec.installTarget
    const found = await findManager(lang, ctx.env)
    if (!found) {
      const looked = versionManagersFor(lang).map((m) => m.name)
      const itself = selfInstall.handles(lang)
        ? ', and devsetup cannot install it itself: that needs npm on PATH and a HOME (or DEVSETUP_CACHE_DIR)'
        : ''
      const message = looked.length
        ? `no version manager found for ${lang.name} (looked for ${looked.join(', ')})${itself}`
        : `devsetup does not install ${lang.name}`
      throw new UserError(message, `install it: ${lang.manualInstall(target, process.platform)}`)
    }
    const { manager, located } = found
    const request = { lang, spec: wanted.spec, target, keep: ctx.state.get<string>('version') }
    const title = manager.describeInstall?.(request) ?? manager.fixCommand(request, ctx.env)
    const binDir = await ctx.subtask(title, () => manager.install(located, request, ctx))

    // The new version first on PATH, for the re-check and every later step of this run.
    const PATH = prependPath(binDir, ctx.env.PATH)
    ctx.setEnv({ PATH, ...headersOf(lang.name, binDir) })
    const after = await probe(lang, {
      env: { ...ctx.env, PATH },
      exec: (command, options) => ctx.exec(command, { ...options, env: { ...options?.env, PATH } }),
    })
    if (!after.found)
      throw new UserError(`${manager.name} installed ${lang.name} ${target}, but ${after.problem}`)
    record(ctx, { version: after.version, binDir }, manager.name)
    ctx.output(`${lang.name} ${after.version} from ${binDir} is used by the next steps of this run`)
    const shellHint = manager.shellHint(request, binDir)
    ctx.output(`your own shell still has the old PATH: ${shellHint}`)
    const via = manager === selfInstall ? `installed by devsetup in ${binDir}` : `via ${manager.name}`
    return {
      summary: `${lang.name} ${after.version} ${via} (${wantsText(wanted)}); later steps use it; for your own shell: ${shellHint}`,
    }
  },
})

async function checkRuntime(cfg: RuntimeConfig, ctx: CheckContext): Promise<CheckResult> {
  const lang = languages[cfg.name]!
  const wanted = await resolveWanted(lang, cfg.version, ctx)
  if (typeof wanted === 'string')
    return { met: false, reason: wanted, fix: 'correct the version, or set `version:` in the recipe' }
  const found = await probe(lang, ctx)
  if (found.found && satisfies(found.version, wanted.spec))
    return { met: true, reason: `${lang.name} ${found.version} (${wantsText(wanted)})` }
  // The shell's PATH misses what an earlier run installed (this repository's, or devsetup's own
  // install for any repository): hand its bin folder to later steps.
  const recorded = await recordedInstall(lang, wanted.spec, ctx)
  const installed = recorded ?? (await cachedInstall(lang, wanted.spec, ctx))
  if (installed && 'binDir' in installed && !recorded) pickedFromCache.set(ctx.stepId, installed)
  if (installed && 'binDir' in installed) {
    const shell = found.found ? `still has ${found.version}` : `has no ${lang.name}`
    return {
      met: true,
      reason: `${lang.name} ${installed.version} (installed by devsetup; your shell ${shell}: ${installed.shellHint})`,
      env: { PATH: installed.PATH, ...headersOf(lang.name, installed.binDir) },
    }
  }
  const broken = installed ? `; ${installed.problem}` : ''
  const what = found.found ? `${lang.name} ${found.version} found,` : `${found.problem};`
  return {
    met: false,
    reason: `${what} ${wantsText(wanted)}${broken}`,
    fix: await fixFor(lang, wanted, ctx),
  }
}

/**
 * A node devsetup hands on ships its own headers (<prefix>/include/node): node-gyp is pointed at
 * them, so a native module's build (better-sqlite3, canvas) needs no download from nodejs.org,
 * which a machine without that network (or a slow one) fails or waits on.
 */
function headersOf(name: string, binDir: string): Record<string, string> {
  const prefix = path.dirname(binDir)
  return name === 'node' && existsSync(path.join(prefix, 'include', 'node', 'node.h'))
    ? { npm_config_nodedir: prefix }
    : {}
}

function record(
  ctx: Pick<CheckContext, 'state'>,
  install: { version: string; binDir: string },
  manager: string,
) {
  ctx.state.set('version', install.version)
  ctx.state.set('binDir', install.binDir)
  ctx.state.set('manager', manager)
}
