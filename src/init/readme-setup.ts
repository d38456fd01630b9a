// The one-time setup the README (or CONTRIBUTING.md) asks for in its install/setup/development
// section: `npm run dev-init` ("run only once"), `pnpm run build:etherpad`, `cd client && npm ci
// && npm run generate`. Each package script it runs that is neither the dev server, nor an
// install, nor a test/lint/production/deploy/docker script becomes a `run` step before the
// restart, with a `creates:` taken from what the script makes (a mkdir/touch target, a build's
// output folder), so a no-op `up` neither reruns it nor hashes anything. A script that re-installs
// what the recipe installs itself (flame's dev-init = dir-init && `npm install` && client's install)
// is split: its `npm run` parts that install nothing become the steps, and a folder it installs
// (client/) gets a `dependencies` step of its own — a second `npm install` after the recipe's
// `npm ci` would rewrite the lockfile, and no `up` would be a no-op again.
import path from 'node:path'
import { localLockfileUrl } from './local-lockfile.js'
import type { DetectedStep } from './provider.js'
import { inFolder, type ReadmeCommand, readmeCommands } from './readme-commands.js'
import type { RepoProbe } from './repo.js'
import { isOneTimeSetup, scriptsOf } from './setup-script-kind.js'

export interface ReadmeSetup {
  steps: DetectedStep[]
  notes: string[]
  /** Subfolders the README's setup installs (client/): set up even when they hold no server. */
  folders: string[]
}

export const installCommand =
  /^(npm (ci|install|i)|pnpm (i|install)|yarn( install)?|bun (i|install))((\s+--?[\w-]+(=\S+)?)*)$/
const runScript = /^(npm run(?:-script)?|pnpm(?: run)?|yarn(?: run)?|bun run)\s+([\w:.-]+)(?:\s+(.*))?$/
// A build tool's output when it names none, confirmed by .gitignore before it is used.
const defaultOutputs: [RegExp, string][] = [
  [/\bvite build\b/, 'dist'],
  [/\bnuxt generate\b/, 'dist'],
  [/\bnuxt build\b/, '.nuxt'],
  [/\bnext build\b/, '.next'],
  [/\breact-scripts build\b/, 'build'],
  [/\bng build\b/, 'dist'],
]

export function readmeSetup(repo: RepoProbe): ReadmeSetup {
  const setup: ReadmeSetup = { steps: [], notes: [], folders: [] }
  for (const command of readmeCommands(repo).filter((c) => c.setup)) {
    const where = `${command.file}:${command.line} \`${command.text}\``
    if (installCommand.test(command.text)) {
      if (command.cwd) addFolder(repo, setup, command.cwd, where)
      continue
    }
    const call = runScript.exec(command.text)
    const script = call?.[2]
    if (!call || !script || scriptsOf(repo, command.cwd)[script] === undefined) continue
    if (!isOneTimeSetup(repo, command.cwd, script)) continue
    if (call[3]?.trim()) {
      setup.notes.push(`${where} takes arguments of yours: not written`)
      continue
    }
    const parts = expand(repo, command.cwd, script, 0)
    if (parts.mixed) {
      setup.notes.push(
        `${where} runs \`${parts.mixed}\`, which re-installs what the dependencies step installs, among other commands: not written; run the rest yourself once`,
      )
      continue
    }
    for (const folder of parts.installs) addFolder(repo, setup, folder, where)
    const runner = call[1]!.replace(/^(pnpm|yarn)$/, '$1 run')
    for (const unit of parts.units) addRun(repo, setup, command, runner, unit)
  }
  return setup
}

interface Expansion {
  /** Scripts that install nothing: each one a step. */
  units: { folder: string; script: string }[]
  /** Folders it installs ('' = the root). */
  installs: string[]
  /** A script that mixes an install with other commands of its own. */
  mixed?: string
}

/** The script split at its `npm run` parts, when it (or a part) installs dependencies. */
function expand(repo: RepoProbe, folder: string, script: string, depth: number): Expansion {
  const body = scriptsOf(repo, folder)[script] ?? ''
  const whole: Expansion = { units: [{ folder, script }], installs: [] }
  if (depth > 4) return whole
  let here = folder
  const installs: string[] = []
  const subs: Expansion[] = []
  const own: string[] = []
  for (const part of body.split(/\s*(?:&&|;)\s*/).map((p) => p.trim())) {
    const cd = /^cd\s+(\S+)$/.exec(part)
    const call = runScript.exec(part)
    if (cd) here = inFolder(here, cd[1]!)
    else if (/^(echo|true|:)\b/.test(part) || !part) continue
    else if (installCommand.test(part)) installs.push(here)
    else if (call && !call[3] && scriptsOf(repo, here)[call[2]!] !== undefined)
      subs.push(expand(repo, here, call[2]!, depth + 1))
    else own.push(part)
  }
  const installsSomething = installs.length > 0 || subs.some((s) => s.installs.length > 0 || s.mixed)
  if (!installsSomething) return whole
  if (own.length > 0) return { units: [], installs: [], mixed: body }
  const mixed = subs.find((s) => s.mixed)?.mixed
  return {
    units: subs.flatMap((s) => s.units),
    installs: [...installs, ...subs.flatMap((s) => s.installs)],
    ...(mixed ? { mixed } : {}),
  }
}

/** A subfolder the setup installs: its own `dependencies` step (the root's is the recipe's own). */
function addFolder(repo: RepoProbe, setup: ReadmeSetup, folder: string, where: string): void {
  if (!folder || setup.folders.includes(folder) || !repo.has(`${folder}/package.json`)) return
  setup.folders.push(folder)
  setup.steps.push({
    slot: `dependencies@${folder}`,
    type: 'dependencies',
    config: undefined,
    cwd: folder,
    why: `${where} installs ${folder}/`,
  })
  const local = localLockfileUrl(repo, folder)
  if (local) setup.notes.push(local)
}

function addRun(
  repo: RepoProbe,
  setup: ReadmeSetup,
  command: ReadmeCommand,
  runner: string,
  unit: { folder: string; script: string },
): void {
  const run = `${runner} ${unit.script}`
  const slot = `run: ${run}${unit.folder ? `@${unit.folder}` : ''}`
  if (setup.steps.some((s) => s.slot === slot)) return
  const where = `${command.file}:${command.line} \`${command.text}\``
  const via = unit.script === runScript.exec(command.text)?.[2] ? '' : ` (its part \`${run}\`)`
  const made = outputs(repo, unit.folder, scriptsOf(repo, unit.folder)[unit.script] ?? '', 0)
  const flat: Record<string, unknown> = { name: `Setup: ${unit.script}`, run }
  let why: string
  if (made.length > 0) {
    // `creates:` is read from the step's cwd.
    const own = made.map((p) => path.posix.relative(unit.folder || '.', p))
    flat.creates = own.length === 1 ? own[0] : own
    why = `${where}${via}: the README's one-time setup; done when ${made.join(', ')} exist${made.length === 1 ? 's' : ''}`
  } else {
    // No way to ask the script whether it is done: it reruns only when the manifest changes.
    const lock = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock'].find((f) =>
      repo.has(join(unit.folder, f)),
    )
    flat.inputs = ['package.json', ...(lock ? [lock] : [])]
    why = `${where}${via}: the README's one-time setup`
    setup.notes.push(
      `${where}${via}: could not tell what it makes, so not whether it is done: it runs again only when package.json${lock ? ` or ${lock}` : ''} changes (give it a \`creates:\` if it makes a file)`,
    )
  }
  setup.steps.push({
    slot,
    type: 'run',
    config: undefined,
    flat,
    why,
    ...(unit.folder ? { cwd: unit.folder } : {}),
  })
}

/**
 * What a script makes, relative to `folder`: mkdir/touch targets, a build's `--outDir`, a build
 * tool's default output folder that .gitignore names, through `npm run` and `pnpm --filter` parts.
 */
function outputs(repo: RepoProbe, folder: string, body: string, depth: number): string[] {
  if (depth > 4) return []
  const made: string[] = []
  let here = folder
  for (const part of body.split(/\s*(?:&&|;)\s*/).map((p) => p.trim())) {
    const cd = /^cd\s+(\S+)$/.exec(part)
    if (cd) {
      here = inFolder(here, cd[1]!)
      continue
    }
    const files = /^(?:npx\s+)?(?:mkdir|mkdirp|touch)\s+(.+)$/.exec(part)?.[1]
    if (files)
      made.push(
        ...files
          .split(/\s+/)
          .filter((f) => !f.startsWith('-'))
          .map((f) => join(here, f)),
      )
    const outDir = /--out-?dir[= ](\S+)/i.exec(part)?.[1]
    if (outDir) made.push(join(here, outDir))
    const filtered = /^pnpm\s+(?:--filter|-F)[= ](\S+)\s+(?:run\s+)?([\w:.-]+)$/.exec(part)
    const call = runScript.exec(part)
    if (filtered) {
      const pkg = workspaceFolder(repo, filtered[1]!)
      if (pkg !== undefined)
        made.push(...outputs(repo, pkg, scriptsOf(repo, pkg)[filtered[2]!] ?? '', depth + 1))
    } else if (call && scriptsOf(repo, here)[call[2]!] !== undefined) {
      made.push(...outputs(repo, here, scriptsOf(repo, here)[call[2]!]!, depth + 1))
    } else if (!outDir && /^tsc\b/.test(part)) {
      // tsc writes where its tsconfig says (`-p other.json` or the folder's tsconfig.json).
      const config = join(here, /(?:-p|--project)[= ](\S+)/.exec(part)?.[1] ?? 'tsconfig.json')
      const options = repo.json(config)?.compilerOptions as { outDir?: string } | undefined
      if (options?.outDir) made.push(join(path.posix.dirname(config), options.outDir))
    } else if (!outDir) {
      const tool = defaultOutputs.find(([pattern]) => pattern.test(part))
      if (tool && ignores(repo, here, tool[1])) made.push(join(here, tool[1]))
    }
  }
  // A folder made only to hold a file it also makes (`mkdirp public && touch public/x.css`) says nothing more.
  return [...new Set(made)].filter((p, _, all) => !all.some((other) => other.startsWith(`${p}/`)))
}

/** The folder of the workspace package named `name` (one or two levels down). */
function workspaceFolder(repo: RepoProbe, name: string): string | undefined {
  const folders = repo
    .list()
    .filter((n) => !n.startsWith('.') && n !== 'node_modules' && repo.isDir(n))
    .flatMap((n) => [
      n,
      ...repo
        .list(n)
        .map((m) => `${n}/${m}`)
        .filter((m) => repo.isDir(m)),
    ])
  return folders.find((f) => repo.json(`${f}/package.json`)?.name === name)
}

/** Whether .gitignore (the folder's or the root's) names this output folder. */
function ignores(repo: RepoProbe, folder: string, output: string): boolean {
  const entry = (text: string | undefined, name: string) =>
    (text ?? '').split(/\r?\n/).some((l) => l.trim().replace(/^\//, '').replace(/\/$/, '') === name)
  return (
    entry(repo.read(folder ? `${folder}/.gitignore` : '.gitignore'), output) ||
    entry(repo.read('.gitignore'), join(folder, output))
  )
}

const join = (folder: string, file: string) => inFolder(folder, file)
