// `yarn` and `pnpm` for every step's commands, the way this machine can run them. A recipe's
// `migrate: yarn db:migrate` or `start: yarn dev` — and the package.json scripts they run,
// which call `yarn` again inside — fail with "yarn: not found" on a machine that has only
// Node (and its corepack), or run another yarn than the release the repository commits.
// When the repository uses yarn or pnpm and launch.ts (what the `dependencies` step runs)
// would not run the bare program, a folder of small sh scripts that exec what it would run
// (`node <yarnPath release>`, `corepack yarn`) goes first on PATH. The folder lives in
// devsetup's state folder for this repository, outside the repository, and only devsetup
// writes it: its name is a hash of its scripts, so a folder that exists is the one wanted.
// Deciding reads files only (stats, package.json, .yarnrc.yml): a no-op run starts nothing.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { StepNode } from '../recipe/types.js'
import { detectManagers } from '../steps/dependencies/detect.js'
import { launch } from '../steps/dependencies/launch.js'
import { corepackMinimumNode, corepackWithItsNode, nodeAtLeast } from './corepack.js'
import { shimsVar, withoutShims } from './which.js'
import { writeFileAtomic } from './write-atomic.js'

const programs = ['yarn', 'pnpm'] as const

export interface Shims {
  /** The shim folder for a step's folder, when its commands need one. */
  folders: Map<string, string>
  /** Removes what only this run needed (doctor's and --dry-run's temporary folder). */
  dispose: () => void
}

/** `PATH` with the step folder's shims first, and the folder named so launch.ts can skip it. */
export function withShims(env: Record<string, string>, folder: string | undefined): Record<string, string> {
  if (!folder) return env
  return { ...env, PATH: env.PATH ? `${folder}${path.delimiter}${env.PATH}` : folder, [shimsVar]: folder }
}

/** The node managers `dir` and the repository root use (their lockfile or `packageManager`). */
async function managersUsed(dir: string, root: string): Promise<Set<string>> {
  const used = new Set<string>()
  for (const folder of new Set([dir, root])) {
    // A broken package.json is the `dependencies` step's to report, not every step's.
    for (const name of await detectManagers(folder).catch(() => [])) used.add(name)
  }
  return used
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`

/** Each shim's file name and text for a step folder; empty when the bare programs are right. */
async function shimTexts(
  dir: string,
  root: string,
  env: Record<string, string>,
): Promise<[string, string][]> {
  const used = await managersUsed(dir, root)
  const texts: [string, string][] = []
  for (const program of programs) {
    // A yarnPath line naming a missing release throws: the `dependencies` step says so.
    const argv = await launch([program], dir, env).catch(() => undefined)
    if (!argv || (argv.length === 1 && argv[0] === program)) continue
    // A committed release means the repository uses yarn, lockfile or not.
    if (!used.has(program) && argv[0] !== 'node') continue
    // corepack with its own node, not the (maybe older) node the runtime step put first on PATH;
    // but with that node when it is new enough for corepack: the package manager runs inside
    // corepack's node, and the runtime step may have put there the newer node it needs.
    // Decided when the shim runs: the runtime step changes PATH after the shims are written.
    const own = await corepackWithItsNode(withoutShims(env))
    const viaCorepack = own && (argv[0] === 'corepack' || argv[1] === own[1])
    const rest = argv.slice(viaCorepack && argv[0] !== 'corepack' ? 2 : 1)
    const exec = (viaCorepack ? [...own, ...rest] : argv).map(quote).join(' ')
    const minimum = viaCorepack ? await corepackMinimumNode(own[1]!) : undefined
    const newer = minimum
      ? `if node -e ${quote(nodeAtLeast(minimum))} 2>/dev/null; then exec node ${[own![1]!, ...rest].map(quote).join(' ')} "$@"; fi\n`
      : ''
    texts.push([
      program,
      `#!/bin/sh\n# Written by devsetup for this repository's ${program}.\n${newer}exec ${exec} "$@"\n`,
    ])
  }
  return texts
}

/**
 * The shim folders of the steps' folders. `write` (up): kept in `stateDir`, since a dev server
 * started now runs on with this PATH. Otherwise (doctor, --dry-run, which change nothing) an
 * existing folder is used, or a temporary one made for this run.
 */
export async function prepareShims(
  steps: readonly StepNode[],
  root: string,
  env: Record<string, string>,
  stateDir: string,
  write: boolean,
): Promise<Shims> {
  const folders = new Map<string, string>()
  let temporary: string | undefined
  const cwds = new Set(steps.map((step) => path.resolve(root, step.options.cwd ?? '.')))
  for (const cwd of cwds) {
    // A step folder outside the repository fails its own check; its shims are not needed.
    if (!existsSync(cwd)) continue
    const texts = await shimTexts(cwd, root, env)
    if (texts.length === 0) continue
    const key = createHash('sha256').update(JSON.stringify(texts)).digest('hex').slice(0, 12)
    let folder = path.join(stateDir, 'shims', key)
    if (!texts.every(([name]) => existsSync(path.join(folder, name)))) {
      if (!write) {
        temporary ??= mkdtempSync(path.join(tmpdir(), 'devsetup-shims-'))
        folder = path.join(temporary, key)
      }
      mkdirSync(folder, { recursive: true })
      for (const [name, text] of texts) writeFileAtomic(path.join(folder, name), text, 0o755)
    }
    folders.set(cwd, folder)
  }
  return {
    folders,
    dispose: () => {
      if (temporary) rmSync(temporary, { recursive: true, force: true })
    },
  }
}
