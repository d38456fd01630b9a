// A task runner in a dev script runs the scripts of the repository's workspace packages: `turbo dev`
// runs every package's `dev`, `pnpm --filter api run dev` one package's, `nx run api:serve` one
// project's target. init follows them into those packages, so the port is read from the server's own
// folder (Maintainerr's apps/server behind `turbo dev`, etherpad's src/ behind `pnpm --filter`).
// Only what the runner selects by name, path or glob is followed; a dependency filter (`api...`)
// selects the named package, whose dev script is the server's.
import type { RepoProbe } from './repo.js'

export interface WorkspacePackage {
  folder: string
  name: string
  scripts: Record<string, string>
}

/** One package script a runner command runs: the package's folder, the script's name and body. */
export interface WorkspaceTarget {
  folder: string
  task: string
  body: string
}

/** The repository's workspace packages: package.json `workspaces`, pnpm-workspace.yaml, lerna.json, nx's project.json folders. */
export function workspacePackages(repo: RepoProbe): WorkspacePackage[] {
  const pkg = repo.json('package.json') ?? {}
  const declared = pkg.workspaces as string[] | { packages?: string[] } | undefined
  const pnpm = repo.yaml('pnpm-workspace.yaml') as { packages?: unknown } | undefined
  const lerna = repo.json('lerna.json')?.packages
  const patterns = [
    ...(Array.isArray(declared) ? declared : (declared?.packages ?? [])),
    ...(Array.isArray(pnpm?.packages) ? pnpm.packages : []),
    ...(Array.isArray(lerna) ? lerna : []),
    // nx projects without a package manager's workspaces: the usual folders' project.json.
    ...(repo.has('nx.json') ? ['apps/*', 'libs/*', 'packages/*'] : []),
  ].filter((p): p is string => typeof p === 'string')
  const excluded = patterns.filter((p) => p.startsWith('!')).flatMap((p) => expand(repo, p.slice(1)))
  const folders = patterns
    .filter((p) => !p.startsWith('!'))
    .flatMap((p) => expand(repo, p))
    .filter((f, i, all) => all.indexOf(f) === i && !excluded.includes(f) && f !== '')
  return folders
    .filter((folder) => repo.has(`${folder}/package.json`) || repo.has(`${folder}/project.json`))
    .map((folder) => {
      const own = repo.json(`${folder}/package.json`) ?? {}
      const project = repo.json(`${folder}/project.json`) ?? {}
      const name = [project.name, own.name].find((n): n is string => typeof n === 'string')
      return { folder, name: name ?? folder, scripts: { ...(own.scripts as object), ...nxTargets(project) } }
    })
}

/** nx targets that run a command (`nx:run-commands`' `command`) as scripts of the project. */
function nxTargets(project: Record<string, unknown>): Record<string, string> {
  const targets = (project.targets ?? {}) as Record<string, { options?: Record<string, unknown> }>
  const scripts: Record<string, string> = {}
  for (const [name, target] of Object.entries(targets)) {
    const options = target?.options ?? {}
    const commands = Array.isArray(options.commands) ? options.commands : [options.command]
    const text = commands.map((c) => (typeof c === 'string' ? c : (c as { command?: string })?.command))
    if (text.every((c): c is string => typeof c === 'string') && text.length > 0) {
      // `cwd` of run-commands is relative to the workspace root; its commands run there.
      scripts[name] = text.join(' & ')
    }
  }
  return scripts
}

/** `apps/*`, `packages/**`, `src`: folders of the repository, relative to its root. */
function expand(repo: RepoProbe, pattern: string): string[] {
  let folders = ['']
  for (const piece of pattern.replace(/^\.\//, '').replace(/\/+$/, '').split('/')) {
    const join = (dir: string, name: string) => (dir ? `${dir}/${name}` : name)
    const children = (dir: string) =>
      repo
        .list(dir || '.')
        .filter((n) => n !== 'node_modules' && !n.startsWith('.') && repo.isDir(join(dir, n)))
        .map((n) => join(dir, n))
    if (piece === '**') {
      // A few levels deep: monorepos nest packages two or three folders down.
      let level = folders
      for (let depth = 0; depth < 3; depth++) {
        level = level.flatMap(children)
        folders = [...folders, ...level]
      }
    } else if (piece.includes('*')) {
      const glob = globRegExp(piece)
      folders = folders.flatMap(children).filter((f) => glob.test(f.slice(f.lastIndexOf('/') + 1)))
    } else folders = folders.map((dir) => join(dir, piece)).filter((f) => repo.isDir(f))
  }
  return folders
}

const globRegExp = (glob: string) =>
  new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)

/** Whether `filter` (a name, a name glob, `./path`, `{./path}`, with `...` around it) selects `pkg`. */
function selects(filter: string, pkg: WorkspacePackage): boolean {
  const bare = filter.replace(/^\.\.\.\^?|\^?\.\.\.$/g, '').replace(/^\{(.*)\}$/, '$1')
  if (/^\.{0,2}\//.test(bare) || (bare.includes('/') && !bare.startsWith('@'))) {
    return globRegExp(bare.replace(/^\.\//, '').replace(/\/$/, '')).test(pkg.folder)
  }
  return globRegExp(bare).test(pkg.name)
}

/** The packages `filters` select (all when none), and the targets for `task` among them. */
function targets(repo: RepoProbe, filters: string[], tasks: string[]): WorkspaceTarget[] {
  const include = filters.filter((f) => !f.startsWith('!'))
  const exclude = filters.filter((f) => f.startsWith('!')).map((f) => f.slice(1))
  return workspacePackages(repo)
    .filter((p) => include.length === 0 || include.some((f) => selects(f, p)))
    .filter((p) => !exclude.some((f) => selects(f, p)))
    .flatMap((p) =>
      tasks
        .filter((task) => p.scripts[task] !== undefined)
        .map((task) => ({ folder: p.folder, task, body: p.scripts[task]! })),
    )
}

const flagsWithValue =
  /^(?:--filter|-F|--scope|--ignore|--concurrency|--cache-dir|--graph|--log-order|--output-logs|--ui|-w|--workspace|--include|--exclude|--from)$/

/** Flags (`--filter=x`, `--filter x`) and positional words of a command's arguments. */
function parse(words: string[]): { flags: [string, string][]; args: string[] } {
  const flags: [string, string][] = []
  const args: string[] = []
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    const eq = /^(--?[\w-]+)=(.*)$/.exec(word)
    if (eq) flags.push([eq[1]!, eq[2]!])
    else if (flagsWithValue.test(word) && i + 1 < words.length) flags.push([word, words[++i]!])
    else if (word.startsWith('-')) flags.push([word, ''])
    else args.push(word)
  }
  return { flags, args }
}

const values = (flags: [string, string][], ...names: string[]) =>
  flags.filter(([f]) => names.includes(f)).flatMap(([, v]) => v.split(','))

/**
 * The package scripts a runner command runs (`turbo dev`, `pnpm --filter x run dev`, `npm run dev
 * -w x`, `yarn workspace x dev`, `nx run x:serve`, `lerna run dev --scope x`); undefined when
 * `command` is no runner command.
 */
export function workspaceRun(repo: RepoProbe, command: string): WorkspaceTarget[] | undefined {
  const words = command
    .replace(/^(?:npx|pnpm\s+exec|yarn\s+exec|bunx)\s+/, '')
    .split(/\s+/)
    .map((w) => w.replace(/^(["'])(.*)\1$/, '$2'))
  const [tool, ...rest] = words
  const { flags, args } = parse(rest)
  if (tool === 'turbo') {
    const tasks = args[0] === 'run' ? args.slice(1) : args
    return targets(repo, values(flags, '--filter', '-F'), tasks)
  }
  if (tool === 'lerna' && args[0] === 'run' && args[1]) {
    return targets(repo, values(flags, '--scope'), [args[1]])
  }
  if (tool === 'nx') return nxRun(repo, rest)
  if (tool === 'pnpm') {
    const filters = values(flags, '--filter', '-F', '--filter-prod')
    const recursive = flags.some(([f]) => /^(?:-r|--recursive)$/.test(f))
    if (filters.length === 0 && !recursive) return undefined
    const task = args[0] === 'run' ? args[1] : args[0]
    return task ? targets(repo, filters, [task]) : undefined
  }
  if (tool === 'npm') {
    const named = values(flags, '-w', '--workspace')
    const all = flags.some(([f]) => /^(?:-ws|--workspaces)$/.test(f))
    if (named.length === 0 && !all) return undefined
    const task = /^(?:run|run-script)$/.test(args[0] ?? '') ? args[1] : args[0]
    // `-w x` is a name or a folder.
    const filters = named.map((n) => (n.includes('/') && !n.startsWith('@') ? `./${n}` : n))
    return task ? targets(repo, filters, [task]) : undefined
  }
  if (tool === 'yarn' && args[0] === 'workspace' && args[1]) {
    const task = args[2] === 'run' ? args[3] : args[2]
    return task ? targets(repo, [args[1]], [task]) : undefined
  }
  if (tool === 'yarn' && args[0] === 'workspaces') {
    // `yarn workspaces foreach -A run dev` (Berry), `yarn workspaces run dev` (v1).
    const at = args.indexOf('run')
    const task =
      at >= 0 ? args[at + 1] : args[0] === 'workspaces' && args[1] === 'foreach' ? args[2] : undefined
    return task ? targets(repo, values(flags, '--include'), [task]) : undefined
  }
  return undefined
}

/** `nx run api:serve`, `nx serve api`, `nx run-many -t serve -p api web` (a flag's values run to the next flag). */
function nxRun(repo: RepoProbe, words: string[]): WorkspaceTarget[] | undefined {
  const listed = (...names: string[]) => {
    const found: string[] = []
    for (let i = 0; i < words.length; i++) {
      const eq = /^(--?[\w-]+)=(.*)$/.exec(words[i]!)
      if (eq && names.includes(eq[1]!)) found.push(...eq[2]!.split(','))
      if (!names.includes(words[i]!)) continue
      for (let j = i + 1; j < words.length && !words[j]!.startsWith('-'); j++)
        found.push(...words[j]!.split(','))
    }
    return found.filter(Boolean)
  }
  const args = words.filter((w) => !w.startsWith('-'))
  if (args[0] === 'run-many')
    return targets(repo, listed('-p', '--projects'), listed('-t', '--target', '--targets'))
  const spec = args[0] === 'run' ? args[1] : args[1] ? `${args[1]}:${args[0]}` : undefined
  // `server:start:dev` is the target `start:dev` when the project has one, else `start` in configuration `dev`.
  const [project, ...target] = spec?.split(':') ?? []
  if (!project || target.length === 0) return undefined
  const whole = targets(repo, [project], [target.join(':')])
  return whole.length > 0 ? whole : targets(repo, [project], [target[0]!])
}
