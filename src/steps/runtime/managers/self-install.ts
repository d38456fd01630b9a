// The last resort when the machine has no version manager: devsetup installs the runtime itself
// from the npm registry into its own cache folder (see ../self-install/). It never touches the
// user's defaults: nothing is linked into /usr/local or a shell file; the folder goes first on
// PATH for devsetup's later steps, and the user is shown the line that does so for their shell.
import { findOnPath } from '../../../engine/which.js'
import { binDirOf, cacheRoot, findCachedInstall, runtimesDir } from '../self-install/cache.js'
import { installFromRegistry } from '../self-install/install.js'
import { registryPackage } from '../self-install/packages.js'
import { resolveVersion } from '../self-install/registry.js'
import { type Manager, pathExportLine } from './types.js'

export const selfInstall: Manager = {
  name: 'devsetup',
  handles: (lang) => registryPackage(lang.name) !== undefined,
  // npm does the downloading; a cache folder is needed to put it in.
  locate: async (env) => (cacheRoot(env) ? findOnPath('npm', env) : undefined),
  fixCommand: ({ lang, target }, env) =>
    `devsetup up (downloads ${lang.name} ${target} from the npm registry into ${runtimesDir(env, lang.name)})`,
  describeInstall: ({ lang, target }) => `install ${lang.name} ${target} from the npm registry`,
  async install(npm, { lang, spec, keep }, ctx) {
    const pkg = registryPackage(lang.name)!
    const dir = runtimesDir(ctx.env, lang.name)!
    // Usually the check found nothing usable here; with --force, or when another repository's
    // run installed it meanwhile, there is nothing to download.
    const cached = await findCachedInstall(lang, pkg, spec, ctx, keep)
    if (cached?.ok) {
      ctx.output(`${lang.name} ${cached.version} is already in ${dir}`)
      return cached.binDir
    }
    // A broken copy is repaired in place (same version) rather than shadowed by a newer one.
    if (cached) ctx.output(`${cached.versionDir} does not run (${cached.problem}): installing it again`)
    const version = cached?.version ?? (await resolveVersion(npm, pkg.name, spec, ctx))
    const versionDir = await installFromRegistry(lang, pkg, version, npm, dir, ctx)
    return binDirOf(versionDir, pkg)
  },
  shellHint: (_request, binDir) => `add to your shell startup file: ${pathExportLine(binDir)}`,
}
