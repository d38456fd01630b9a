// `dependencies`: install a repository's libraries with its package manager(s), and skip
// it without starting any process when the lockfile, manifest and install folder are as
// the last successful install left them. The managers themselves are a table
// (dependencies/managers.ts); this file only detects, compares and dispatches.
import path from 'node:path'
import { exists } from '../engine/which.js'
import { UserError } from '../errors.js'
import { type CheckContext, type CheckResult, defineStepBehavior, type RunContext } from './define.js'
import { installBundle } from './dependencies/bundler.js'
import { detectManagers, inspectProject } from './dependencies/detect.js'
import { install, runInstallCommand } from './dependencies/install.js'
import { type Manager, manager, managerNames, type Project, venvPython } from './dependencies/managers.js'
import {
  compareWithRecord,
  type InstallRecord,
  installCommand,
  launchedCommand,
  recordInstall,
  runtimeChange,
  startedInstall,
} from './dependencies/record.js'
import type { DependenciesConfig, schema } from './dependencies/schema.js'
import { languages } from './runtime/languages.js'
import { probe } from './runtime/probe.js'
import { withSemver } from './runtime/semver.js'

interface Target {
  m: Manager
  project: Project
  /** Key of this manager's InstallRecord in the step's state. */
  key: string
}

interface Plan {
  dir: string
  /** The folder as the user knows it: relative to the repository. */
  where: string
  targets: Target[]
  /** Why nothing can be installed (no manifest, a named file missing), when so. */
  problem: string | undefined
}

async function plan(cfg: DependenciesConfig, ctx: CheckContext): Promise<Plan> {
  const dir = path.resolve(ctx.cwd, cfg.cwd ?? '.')
  const where = path.relative(ctx.root, dir) || '.'
  if (!(await exists(dir))) return { dir, where, targets: [], problem: `${where} does not exist` }
  const names = cfg.manager ? [cfg.manager] : await detectManagers(dir)
  const targets = await Promise.all(
    names.map(async (name): Promise<Target> => {
      const m = manager(name)
      const project = await inspectProject(dir, m, { requirements: cfg.requirements, frozen: cfg.frozen })
      return { m, project, key: `${name}:${where}` }
    }),
  )
  const problem =
    targets.length === 0
      ? `no lockfile or manifest of a known package manager in ${where}`
      : targets.map((t) => missingInput(t, where)).find(Boolean)
  return { dir, where, targets, problem }
}

function missingInput({ m, project }: Target, where: string): string | undefined {
  if (m.name === 'pip') {
    const absent = project.requirements.find((r) => !project.present.has(r))
    if (absent) return `${absent} not found in ${where}`
    if (
      project.requirements.length === 0 &&
      !['pyproject.toml', 'setup.py'].some((f) => project.present.has(f))
    )
      return `no requirements.txt, pyproject.toml or setup.py in ${where}`
    return undefined
  }
  if (project.lockfile || m.manifests.some((f) => project.present.has(f))) return undefined
  return `no ${m.manifests[0]} in ${where}`
}

const withNote = (project: Project, text: string) =>
  project.ignoredLockfiles ? `${text}; ${project.ignoredLockfiles}` : text

const labelled = (targets: Target[], i: number, text: string) => {
  const noted = withNote(targets[i]!.project, text)
  return targets.length > 1 ? `${targets[i]!.m.name}: ${noted}` : noted
}

export const dependencies = defineStepBehavior<typeof schema>({
  type: 'dependencies',
  description:
    "install the repository's libraries (npm, pnpm, yarn, bun, bundler, pip, uv, poetry, go, cargo, composer)",
  form: 'nested',
  title: (cfg) =>
    `Install ${cfg.manager ? `${cfg.manager} ` : ''}dependencies${cfg.cwd ? ` in ${cfg.cwd}` : ''}`,

  async check(cfg, ctx): Promise<CheckResult> {
    const { targets, problem, results } = await assess(cfg, ctx)
    if (problem) return { met: false, reason: problem, fix: fixFor(cfg) }
    const unmet = results.flatMap((r, i) => (r.met ? [] : [i]))
    if (unmet.length === 0) {
      return { met: true, reason: results.map((r, i) => labelled(targets, i, r.reason)).join('; ') }
    }
    const commands = await Promise.all(
      unmet.map((i) => launchedCommand(targets[i]!.m, targets[i]!.project, ctx.env)),
    )
    return {
      met: false,
      reason: unmet.map((i) => labelled(targets, i, results[i]!.reason)).join('; '),
      fix: commands.join(' && '),
      commands,
    }
  },

  preview: (_cfg, before) => before.commands ?? [],

  async run(cfg, ctx) {
    const { dir, where, targets, problem, results } = await assess(cfg, ctx)
    if (problem) throw new UserError(problem, fixFor(cfg))
    const unmet = targets.filter((_, i) => !results[i]!.met)
    // Nothing unmet means --force: install everything again.
    const pending = unmet.length > 0 ? unmet : targets
    const installOne = async ({ m, key, project: inspected }: Target) => {
      // A venv made by another python keeps running that python: make it afresh.
      const otherPython =
        m.name === 'pip' &&
        inspected.present.has(venvPython) &&
        (await runtimeChange(m, ctx.env, ctx.state.get<InstallRecord>(key))) !== undefined
      const project = otherPython ? { ...inspected, recreateVenv: true } : inspected
      // Before the install, and kept if it fails: a failed or interrupted install often leaves a
      // folder that looks whole, and the old success must not vouch for it.
      ctx.state.persist(key, startedInstall(ctx.state.get<InstallRecord>(key), installCommand(m, project)))
      const bundled =
        m.name === 'bundler'
          ? await installBundle(m, project, ctx, (argv, env) => runInstallCommand(m, project, ctx, argv, env))
          : undefined
      const summary = bundled ? bundled.summary : await install(m, project, ctx)
      // Inspect again: the install may have written the lockfile and the install folder.
      const after = await inspectProject(dir, m, { requirements: cfg.requirements, frozen: cfg.frozen })
      ctx.state.set(key, { ...(await recordInstall(m, after, ctx.env)), bundle: bundled?.record })
      const refused = m.runtime === 'node' ? await nodeRefusal(dir, ctx) : undefined
      if (refused) ctx.output(refused)
      return withNote(after, refused ? `${summary}; ${refused}` : summary)
    }
    if (targets.length === 1) return { summary: await installOne(pending[0]!) }
    // Detected managers of different ecosystems never share an install folder: run them together.
    const settled = await Promise.allSettled(
      pending.map((t) =>
        ctx.subtask(where === '.' ? t.m.name : `${t.m.name} in ${where}`, () => installOne(t)),
      ),
    )
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
    if (failure) throw failure.reason
    return { summary: settled.map((s) => (s as PromiseFulfilledResult<string>).value).join('; ') }
  },
})

/**
 * An installed package whose `engines.node` refuses the node in use (NodeBB's undici 8 on Node 20
 * dies at boot). Said in the step's result, not a failure: npm itself only warns, and a dev tool's
 * strict engines must not block a setup that works; whether the app boots on this node is the
 * restart step's answer, and its failure diagnosis names the package too (diagnose/build.ts).
 */
async function nodeRefusal(dir: string, ctx: RunContext): Promise<string | undefined> {
  try {
    // A node other than devsetup's own is read with semver (loaded here, the install is done).
    const found = await withSemver(() => probe(languages.node!, ctx))
    if (!found.found) return undefined
    const { installedRefusal } = await import('./dependencies/node-engines.js')
    const refusal = await installedRefusal(dir, found.version)
    return (
      refusal &&
      `${refusal.text}: add \`- runtime: { name: node, version: "${refusal.wanted}" }\` before this step (or that version in it)`
    )
  } catch {
    // A note after a finished install: whatever keeps it from being read never fails the step.
    return undefined
  }
}

/** The plan, and each target compared with what its last install recorded: check and run both start here. */
async function assess(
  cfg: DependenciesConfig,
  ctx: CheckContext,
): Promise<Plan & { results: CheckResult[] }> {
  const found = await plan(cfg, ctx)
  if (found.problem) return { ...found, results: [] }
  const results = await Promise.all(
    found.targets.map((t) => compareWithRecord(t.m, t.project, ctx.state.get<InstallRecord>(t.key), ctx.env)),
  )
  return { ...found, results }
}

function fixFor(cfg: DependenciesConfig): string {
  return cfg.manager
    ? `check the step's folder and files, or name another manager (one of ${managerNames.join(', ')})`
    : 'name the manager and folder: `- dependencies: { manager: npm, cwd: web }`'
}
