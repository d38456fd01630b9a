// Downloads one exact version's package with the user's npm (`npm pack`: no install scripts run,
// the registry's integrity hash is checked, npm's proxy/mirror/auth settings apply), unpacks it
// in a temp folder next to its final place, runs the binary, and only then renames the folder
// into place. Two repositories installing at once each finish their own temp folder; the first
// rename wins and the other one's copy is dropped. An existing folder that does not run is
// replaced, never trusted.
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { UserError } from '../../../errors.js'
import type { Language } from '../languages.js'
import type { ManagerContext } from '../managers/types.js'
import { probeFolder } from '../probe.js'
import { binDirOf } from './cache.js'
import { companions } from './npm.js'
import type { RegistryPackage } from './packages.js'
import { npmQuiet } from './registry.js'

/** Temp folders of downloads that died (killed, power loss) are removed after this long. */
const staleAfterMs = 24 * 60 * 60 * 1000

async function removeStaleTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith('.partial-')) continue
    const folder = path.join(dir, name)
    const age = Date.now() - (await stat(folder).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs
    if (age > staleAfterMs) await rm(folder, { recursive: true, force: true })
  }
}

/**
 * Whether `versionDir` holds a binary that runs and reports `version`, and (`whole`) what comes
 * with it (node's npm) runs too.
 */
async function runs(
  lang: Language,
  pkg: RegistryPackage,
  versionDir: string,
  version: string,
  ctx: ManagerContext,
  whole = true,
): Promise<string | undefined> {
  const binDir = binDirOf(versionDir, pkg)
  const found = await probeFolder(lang, binDir, ctx)
  if (!found.found) return found.problem
  if (found.version !== version) return `it reports ${found.version}, not ${version}`
  return whole ? companions[lang.name]?.problem(binDir, ctx) : undefined
}

const isOccupied = (error: unknown) =>
  ['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')

/** Installs `pkg@version` into `<dir>/<version>` and returns that folder. */
export async function installFromRegistry(
  lang: Language,
  pkg: RegistryPackage,
  version: string,
  npm: string,
  dir: string,
  ctx: ManagerContext,
): Promise<string> {
  await mkdir(dir, { recursive: true })
  await removeStaleTemps(dir)
  const finalDir = path.join(dir, version)
  // In the same folder as the final place, so the rename below is atomic (same file system).
  const work = await mkdtemp(path.join(dir, '.partial-'))
  try {
    ctx.output(`downloading ${pkg.name}@${version} from the npm registry`)
    // From the step's folder, so the repository's own .npmrc (a registry mirror) applies.
    await ctx.exec([npm, 'pack', `${pkg.name}@${version}`, '--pack-destination', work, ...npmQuiet])
    const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'))
    if (!tarball) throw new UserError(`npm pack ${pkg.name}@${version} wrote no tarball into ${work}`)
    await ctx.exec(['tar', '-xzf', path.join(work, tarball), '-C', work, '--no-same-owner'])
    await rm(path.join(work, tarball))
    const unpacked = path.join(work, 'package')
    const problem = await runs(lang, pkg, unpacked, version, ctx, false)
    if (problem) {
      throw new UserError(
        `${pkg.name}@${version} was downloaded, but its ${lang.name} does not run on this machine: ${problem}`,
        `install ${lang.name} ${version} with a version manager (mise, asdf, …) instead`,
      )
    }
    const companion = companions[lang.name]
    if (companion) {
      await companion.add(npm, unpacked, version, ctx)
      const broken = await companion.problem(binDirOf(unpacked, pkg), ctx)
      if (broken) throw new UserError(`${lang.name} ${version} was downloaded, but ${broken}`)
    }
    // A concurrent run may put its own copy in place between our renames: a few tries.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await rename(unpacked, finalDir)
        return finalDir
      } catch (error) {
        if (!isOccupied(error)) throw error
      }
      const existing = await runs(lang, pkg, finalDir, version, ctx)
      if (existing === undefined) {
        ctx.output(`another run installed ${lang.name} ${version} meanwhile: using it`)
        return finalDir
      }
      ctx.output(`replacing ${finalDir}: ${existing}`)
      await rename(finalDir, path.join(work, `broken-${attempt}`)).catch((error) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      })
    }
    throw new UserError(
      `cannot put ${lang.name} ${version} into ${finalDir}: another copy that does not run keeps appearing there`,
    )
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
