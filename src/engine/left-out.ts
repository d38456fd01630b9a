// --only leaves steps out, but a step before a selected one may hand it what a full run would:
// a runtime's bin folder first on PATH, a service's DATABASE_URL. Without it `--only dependencies`
// ran npm ci under the machine's old node, and the next full run installed everything again.
// So such a step is checked (never run): a met check hands on its env, an unmet one is said on
// the selected steps after it, whose own outcome may well come from its absence.
import type { StepNode } from '../recipe/types.js'
import type { CheckResult } from '../steps/define.js'
import type { StepOutcome } from './events.js'

export class LeftOutChecks {
  /** Unmet left-out steps of the item being walked: said from the next item on. */
  private found: { id: string; reason: string }[] = []
  private said: { id: string; reason: string }[] = []

  /** `ids`: the left-out steps before a selected one (select.ts leftOutBefore). */
  constructor(private readonly ids: ReadonlySet<string>) {}

  wanted(step: StepNode): boolean {
    return this.ids.has(step.id)
  }

  /**
   * The left-out step's own line: still `skipped`, naming the variables its check handed on (their
   * names only: a URL may carry a password), or that it is unmet.
   */
  skipped(step: StepNode, reason: string, checked: CheckResult, handOn: (env: CheckResult['env']) => void) {
    if (!checked.met) {
      this.found.push({ id: step.id, reason: checked.reason })
      return `${reason}; checked for what it hands on: unmet: ${checked.reason}`
    }
    handOn(checked.env)
    const names = Object.keys(checked.env ?? {})
    return names.length > 0 ? `${reason}; checked for what it hands on: ${names.join(', ')}` : reason
  }

  /** Called after each item: what its left-out steps lack concerns the steps that follow. */
  endOfItem(): void {
    this.said.push(...this.found)
    this.found = []
  }

  /** A selected step's outcome, with the earlier left-out steps that are unmet. */
  annotate(step: StepNode, outcome: StepOutcome): StepOutcome {
    const passive =
      outcome.status === 'skipped' || outcome.status === 'not-run' || outcome.status === 'interrupted'
    if (this.said.length === 0 || passive) return outcome
    const ids = this.said.map((s) => s.id)
    const them = ids.length > 1 ? 'them' : 'it'
    const note =
      `left out by --only and unmet: ${this.said.map((s) => `${s.id} (${s.reason})`).join(', ')}; ` +
      `whatever ${them} would hand on (a PATH, a URL) is missing here: ` +
      `\`devsetup up --only ${[...ids, step.id].join(',')}\` includes ${them}`
    return { ...outcome, reason: `${outcome.reason} (${note})` }
  }
}
