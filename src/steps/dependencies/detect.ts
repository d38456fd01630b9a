// Which package managers a folder uses, from its lockfiles and manifests, and where their
// programs are. Only the file system is read: checks must not start a process.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { exists } from '../../engine/which.js'
import { UserError } from '../../errors.js'
import { type Manager, type ManagerName, managers, type Project, venvPython } from './managers.js'
import { brokenVenv, requirementIncludes } from './python.js'

async function present(dir: string, names: Iterable<string>): Promise<Set<string>> {
  const list = [...new Set(names)]
  const found = await Promise.all(list.map((name) => exists(path.join(dir, name))))
  return new Set(list.filter((_, i) => found[i]))
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return undefined
  }
}

interface PackageJson {
  packageManager?: unknown
}

async function readPackageJson(dir: string): Promise<PackageJson | undefined> {
  const text = await readText(path.join(dir, 'package.json'))
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as PackageJson
  } catch (error) {
    throw new UserError(
      `${path.join(dir, 'package.json')} is not valid JSON: ${(error as Error).message}`,
      'fix the file, then run devsetup again',
    )
  }
}

/** `"packageManager": "pnpm@9.1.0"` → { name: 'pnpm', major: 9 }, when it names a node manager. */
function declaredManager(pkg: PackageJson | undefined): { name: ManagerName; major: number } | undefined {
  const match =
    typeof pkg?.packageManager === 'string' && /^(npm|pnpm|yarn|bun)@(\d+)?/.exec(pkg.packageManager)
  return match ? { name: match[1] as ManagerName, major: Number(match[2] ?? 0) } : undefined
}

const nodeLockOrder: ManagerName[] = ['npm', 'pnpm', 'yarn', 'bun']

/** Every manager used in `dir`: at most one per ecosystem, since they would share a folder. */
export async function detectManagers(dir: string): Promise<ManagerName[]> {
  const names = new Set<string>(['pyproject.toml'])
  for (const m of managers.values()) for (const f of [...m.manifests, ...m.lockfiles]) names.add(f)
  const has = await present(dir, names)
  const found: ManagerName[] = []
  if (has.has('package.json')) {
    const declared = declaredManager(await readPackageJson(dir))
    const byLock = nodeLockOrder.find((n) => managers.get(n)!.lockfiles.some((f) => has.has(f)))
    found.push(declared?.name ?? byLock ?? 'npm')
  }
  if (has.has('Gemfile') || has.has('gems.rb')) found.push('bundler')
  const python = await pythonManager(dir, has)
  if (python) found.push(python)
  if (has.has('go.mod')) found.push('go')
  if (has.has('Cargo.toml')) found.push('cargo')
  if (has.has('composer.json')) found.push('composer')
  return found
}

async function pythonManager(dir: string, has: Set<string>): Promise<ManagerName | undefined> {
  if (has.has('uv.lock')) return 'uv'
  if (has.has('poetry.lock')) return 'poetry'
  const pyproject = has.has('pyproject.toml') ? await readText(path.join(dir, 'pyproject.toml')) : undefined
  if (pyproject && /^\[tool\.poetry\]/m.test(pyproject)) return 'poetry'
  if (pyproject && /^\[tool\.uv\]/m.test(pyproject)) return 'uv'
  // A pyproject.toml alone often only configures tools (ruff, black): not a reason to pip install.
  if (has.has('requirements.txt')) return 'pip'
  return undefined
}

export interface ProjectOptions {
  requirements: readonly string[] | undefined
  frozen: boolean
}

/** What `m` needs to know about `dir` to check or install; reads files only. */
export async function inspectProject(dir: string, m: Manager, options: ProjectOptions): Promise<Project> {
  const requirements =
    m.name === 'pip'
      ? (options.requirements ??
        ((await exists(path.join(dir, 'requirements.txt'))) ? ['requirements.txt'] : []))
      : []
  const draft: Project = {
    dir,
    lockfile: undefined,
    present: new Set(),
    requirements,
    frozen: options.frozen,
    berry: false,
    includes: m.name === 'pip' ? await requirementIncludes(dir, requirements) : [],
    recreateVenv: false,
    ignoredLockfiles: undefined,
  }
  const has = await present(dir, [
    ...m.manifests,
    ...m.lockfiles,
    ...(m.extraInputs?.(draft) ?? []),
    ...m.markers,
  ])
  const lockfile = m.lockfiles.find((f) => has.has(f))
  let berry = false
  const declared = m.ecosystem === 'node' ? declaredManager(await readPackageJson(dir)) : undefined
  if (m.name === 'yarn') {
    const lock = lockfile ? await readText(path.join(dir, lockfile)) : undefined
    // A declared version decides: yarn 1 ignores .yarnrc.yml and --immutable (it rewrites
    // yarn.lock and exits 0), so a stray .yarnrc.yml must not turn classic into berry.
    berry =
      declared?.name === 'yarn' && declared.major > 0
        ? declared.major >= 2
        : has.has('.yarnrc.yml') || (lock?.includes('__metadata:') ?? false)
  }
  // pip cannot repair a venv that lost its lib folder or pyvenv.cfg: it needs making afresh.
  const recreateVenv =
    m.name === 'pip' &&
    (await exists(path.join(dir, '.venv'))) &&
    (!has.has(venvPython) || (await brokenVenv(dir)) !== undefined)
  return {
    ...draft,
    lockfile,
    present: has,
    berry,
    recreateVenv,
    ignoredLockfiles: await ignoredLockfiles(dir, m, lockfile, declared?.name === m.name),
  }
}

/** A folder with two managers' lockfiles would otherwise silently install with one of them. */
async function ignoredLockfiles(
  dir: string,
  m: Manager,
  lockfile: string | undefined,
  declared: boolean,
): Promise<string | undefined> {
  if (m.ecosystem !== 'node') return undefined
  const others = nodeLockOrder.filter((n) => n !== m.name).flatMap((n) => managers.get(n)!.lockfiles)
  const found = [...(await present(dir, others))]
  if (found.length === 0) return undefined
  const why = declared ? 'packageManager in package.json' : (lockfile ?? 'the recipe')
  return `${found.join(', ')} ignored: ${m.name} installs here (${why})`
}
