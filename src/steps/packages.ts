// `packages`: the system packages a repository needs, listed per package manager. Only the
// managers of the machine it runs on are used; the other lists are skipped, with the reason.
import type { z } from 'zod'
import { type CheckContext, type CheckResult, defineStepBehavior } from './define.js'
import { apt } from './packages/apt.js'
import { brew, brewfile } from './packages/brew.js'
import { handCommand, runManagerCommand } from './packages/install.js'
import { detectMachine, type Machine } from './packages/machine.js'
import type { Manager, ManagerKey, Missing } from './packages/manager.js'
import type { schema } from './packages/schema.js'
import { apk, dnf, pacman, yum, zypper } from './packages/system.js'
import { shorten } from './text.js'

/** In the order they are checked, installed and reported. */
const managers: Manager[] = [brew, brewfile, apt, dnf, yum, zypper, pacman, apk]

type PackagesConfig = z.output<typeof schema>

/** One manager's list, as found on this machine. */
interface Survey {
  manager: Manager
  specs: string[]
  /** Why this list does not apply here; then `missing` is empty. */
  skipped?: string
  missing: Missing[]
}

async function survey(
  cfg: PackagesConfig,
  ctx: CheckContext,
): Promise<{ machine: Machine; lists: Survey[] }> {
  const machine = await detectMachine(ctx.env)
  const listed = managers.filter((m) => (cfg[m.key]?.length ?? 0) > 0)
  const lists = await Promise.all(
    listed.map(async (manager): Promise<Survey> => {
      const specs = cfg[manager.key]!
      const skipped = manager.unavailable(machine) ?? duplicateOf(manager.key, cfg, machine)
      if (skipped) return { manager, specs, skipped, missing: [] }
      return { manager, specs, missing: await manager.missing(specs, ctx.exec, ctx.cwd) }
    }),
  )
  return { machine, lists }
}

/** Where dnf is the manager, `yum` is its alias: a recipe listing both installs the dnf list only. */
function duplicateOf(key: ManagerKey, cfg: PackagesConfig, machine: Machine): string | undefined {
  if (key === 'yum' && cfg.dnf?.length && !dnf.unavailable(machine)) return 'dnf is used on this machine'
  return undefined
}

function describe(list: Survey): string {
  const { manager, specs } = list
  if (list.skipped) return `${manager.key} list skipped: ${list.skipped}`
  if (manager.key === 'brewfile') {
    return list.missing.length === 0
      ? `brewfile: ${specs[0]} satisfied`
      : `brewfile: missing ${list.missing.map((m) => m.label).join(', ')}`
  }
  const installed = specs.length - list.missing.length
  if (list.missing.length === 0) return `${manager.key}: ${installed} installed`
  const names = list.missing.map((m) => m.label).join(', ')
  return `${manager.key}: missing ${names} (${installed} of ${specs.length} installed)`
}

/** The commands that install what is missing, as the user would type them. */
async function installPlan(list: Survey, machine: Machine, cwd: string) {
  const specs = list.missing.map((m) => m.spec)
  const install = list.manager.installArgs(specs, cwd)
  const prepare = await list.manager.prepare?.()
  const hand = [prepare?.args, install]
    .filter((args): args is string[] => args !== undefined)
    .map((args) => handCommand(list.manager, args, machine))
    .join(' && ')
  return { specs, install, prepare, hand }
}

const summarize = (cfg: PackagesConfig) =>
  managers
    .filter((m) => cfg[m.key]?.length)
    .map((m) => `${m.key} ${cfg[m.key]!.join(', ')}`)
    .join('; ')

export const packages = defineStepBehavior<typeof schema>({
  type: 'packages',
  description: 'system packages (brew, apt, dnf, yum, zypper, pacman, apk), with the manager of this machine',
  form: 'nested',
  title: (cfg) => shorten(`Packages: ${summarize(cfg)}`, 70),
  preview: (_cfg, before) => before.commands ?? [],

  async check(cfg, ctx): Promise<CheckResult> {
    const { machine, lists } = await survey(cfg, ctx)
    const used = lists.filter((list) => !list.skipped)
    const reason = [...used, ...lists.filter((list) => list.skipped)].map(describe).join('; ')
    if (used.length === 0) {
      return { met: true, reason: `nothing to do on this platform${reason ? ` (${reason})` : ''}` }
    }
    const unmet = used.filter((list) => list.missing.length > 0)
    if (unmet.length === 0) return { met: true, reason }
    const plans = await Promise.all(unmet.map((list) => installPlan(list, machine, ctx.cwd)))
    return {
      met: false,
      reason,
      fix: plans.map((plan) => plan.hand).join(' && '),
      commands: plans.map((plan) => plan.hand),
    }
  },

  async run(cfg, ctx) {
    const { machine, lists } = await survey(cfg, ctx)
    const done: string[] = []
    for (const list of lists) {
      if (list.skipped || list.missing.length === 0) continue
      const { manager } = list
      const plan = await installPlan(list, machine, ctx.cwd)
      await ctx.subtask(`${manager.key}: ${plan.specs.join(', ')}`, async () => {
        if (plan.prepare) {
          ctx.output(`${plan.prepare.why}: ${plan.prepare.args.join(' ')}`)
          await runManagerCommand(manager, plan.prepare.args, machine, ctx, plan.hand)
        }
        await runManagerCommand(manager, plan.install, machine, ctx, plan.hand)
      })
      done.push(`${manager.key === 'brewfile' ? 'brew bundle' : manager.key}: ${plan.specs.join(', ')}`)
    }
    return { summary: done.length > 0 ? `installed with ${done.join('; ')}` : 'nothing was missing' }
  },
})
