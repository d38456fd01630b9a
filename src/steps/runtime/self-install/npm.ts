// The npm that goes with a node devsetup installs. The registry's node package holds only the
// binary, and the machine's own npm may not run on an older node (npm 11 under node 14 dies with
// "SyntaxError: Unexpected token '&&='"). So, as an official Node release does, the folder gets
// the npm its line ships: <version>/lib/node_modules/npm, with bin/npm and bin/npx that run it
// with the node next to them (not whichever node is first on PATH). It is part of the install:
// added before the folder gets its version name, and a cached folder whose npm does not run is
// broken, so it is installed again.
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { exists } from '../../../engine/which.js'
import { writeFileAtomic } from '../../../engine/write-atomic.js'
import { UserError } from '../../../errors.js'
import type { CheckContext } from '../../define.js'
import type { ManagerContext } from '../managers/types.js'
import { semver } from '../semver.js'
import { npmQuiet, npmView } from './registry.js'

/**
 * The npm major each Node line ships (the newest release of that line), by node major. Node 19
 * shipped npm 9; 18 ends with npm 10, whose engines start at 18.17: an older 18 falls back below.
 */
export function npmMajorFor(nodeVersion: string): number {
  const major = semver().major(nodeVersion)
  if (major <= 14) return 6
  if (major === 15) return 7
  if (major <= 17) return 8
  if (major === 19) return 9
  if (major <= 22) return 10
  return 11
}

type Release = { version: string; node?: string }

/** `npm view npm@<range> version engines.node`: objects, or bare versions where engines is absent. */
function releases(parsed: unknown): Release[] {
  const list = Array.isArray(parsed) ? parsed : [parsed]
  return list.flatMap((entry): Release[] => {
    if (typeof entry === 'string') return [{ version: entry }]
    if (entry && typeof entry === 'object' && 'version' in entry) {
      const { version, 'engines.node': node } = entry as Record<string, unknown>
      if (typeof version === 'string') return [{ version, node: typeof node === 'string' ? node : undefined }]
    }
    return []
  })
}

/**
 * The newest stable npm of the major `nodeVersion`'s line ships whose engines accept it, else the
 * newest older one that does (node 18.0 gets npm 9, as npm 10 wants 18.17).
 */
export function pickNpm(list: Release[], nodeVersion: string): string | undefined {
  const s = semver()
  const major = npmMajorFor(nodeVersion)
  const runs = list.filter(
    (r) =>
      s.valid(r.version) &&
      !s.prerelease(r.version) &&
      s.major(r.version) <= major &&
      (!r.node || s.satisfies(nodeVersion, r.node)),
  )
  const newest = (rs: Release[]) => s.sort(rs.map((r) => r.version)).at(-1)
  return newest(runs.filter((r) => s.major(r.version) === major)) ?? newest(runs)
}

// Paths inside npm's package. node-gyp too: yarn 1 and pnpm look for it on PATH to build a
// native module, and an official Node release gets it through its npm.
const wrappers = [
  ['npm', 'bin/npm-cli.js'],
  ['npx', 'bin/npx-cli.js'],
  ['node-gyp', 'node_modules/node-gyp/bin/node-gyp.js'],
] as const

/** Each wrapper runs a script of npm's package with the node in its folder. */
const wrapper = (script: string) =>
  `#!/bin/sh\n# Written by devsetup: npm runs with the node next to this file.\n` +
  `dir=$(dirname "$0")\nexec "$dir/node" "$dir/../lib/node_modules/npm/${script}" "$@"\n`

/** Adds npm for node `nodeVersion` to the unpacked node package in `versionDir`. */
export async function addNpm(npm: string, versionDir: string, nodeVersion: string, ctx: ManagerContext) {
  const major = npmMajorFor(nodeVersion)
  const listed = await npmView(
    npm,
    [`npm@<${major + 1}`, 'version', 'engines.node'],
    'the versions of npm',
    ctx,
  )
  const version = pickNpm(releases(listed), nodeVersion)
  if (!version) throw new UserError(`the npm registry has no npm release that runs on node ${nodeVersion}`)
  ctx.output(`downloading npm@${version} (the npm for node ${nodeVersion}) from the npm registry`)
  const work = path.join(versionDir, '.npm-download')
  await mkdir(work, { recursive: true })
  await ctx.exec([npm, 'pack', `npm@${version}`, '--pack-destination', work, ...npmQuiet])
  const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'))
  if (!tarball) throw new UserError(`npm pack npm@${version} wrote no tarball into ${work}`)
  await ctx.exec(['tar', '-xzf', path.join(work, tarball), '-C', work, '--no-same-owner'])
  const modules = path.join(versionDir, 'lib', 'node_modules')
  await mkdir(modules, { recursive: true })
  await rename(path.join(work, 'package'), path.join(modules, 'npm'))
  await rm(work, { recursive: true, force: true })
  for (const [name, script] of wrappers) {
    const file = path.join(versionDir, 'bin', name)
    writeFileAtomic(file, wrapper(script), 0o755)
  }
}

/** Why the npm in `binDir` does not run (asked by running it), or undefined when it does. */
export async function npmProblem(binDir: string, ctx: Pick<CheckContext, 'env' | 'exec'>) {
  const npm = path.join(binDir, 'npm')
  const result = await ctx
    .exec([npm, '--version', ...npmQuiet], { reject: false, timeoutMs: 30_000 })
    .catch((error: Error) => ({ exitCode: -1, stdout: '', stderr: error.message }))
  if (result.exitCode === 0 && /^\d+\.\d+\.\d+/.test(result.stdout.trim())) return undefined
  const why =
    (result.stderr || result.stdout)
      .trim()
      .split('\n')
      .find((l) => /\S/.test(l)) ?? ''
  return `its npm (${npm}) does not run: ${why || `exit ${result.exitCode}`}`
}

/**
 * The check's fast path: npm's files are as the install left them (the wrappers devsetup writes,
 * npm's package.json and bin scripts). Running npm costs ~0.4 s on every no-op; it ran before
 * the folder got its version name, and node itself is still asked by running it.
 */
export async function npmMissing(binDir: string): Promise<string | undefined> {
  const npmDir = path.join(binDir, '..', 'lib', 'node_modules', 'npm')
  for (const [name, script] of wrappers) {
    const text = await readFile(path.join(binDir, name), 'utf8').catch(() => undefined)
    if (text !== wrapper(script)) return `its ${name} is missing: ${path.join(binDir, name)}`
    if (!(await exists(path.join(npmDir, script)))) return `its npm is missing: ${npmDir}`
  }
  const version = await readFile(path.join(npmDir, 'package.json'), 'utf8')
    .then((text) => (JSON.parse(text) as { version?: unknown }).version)
    .catch(() => undefined)
  return typeof version === 'string' ? undefined : `its npm is missing: ${npmDir}`
}

/** What a language's install holds beside its binary: node's npm. */
export interface Companion {
  add(npm: string, versionDir: string, version: string, ctx: ManagerContext): Promise<void>
  /** Why it does not run, asked by running it (the install). */
  problem(binDir: string, ctx: Pick<CheckContext, 'env' | 'exec'>): Promise<string | undefined>
  /** Why it is not as installed, from its files only (the checks). */
  missing(binDir: string): Promise<string | undefined>
}

export const companions: Partial<Record<string, Companion>> = {
  node: { add: addNpm, problem: npmProblem, missing: npmMissing },
}
