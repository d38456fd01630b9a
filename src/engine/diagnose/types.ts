// What a failure diagnosis is made of: a signature recognises a known cause in a failed
// step's output and says the fix in the recipe's terms (see ../diagnose.ts).
import type { StepNode } from '../../recipe/types.js'

export interface Diagnosis {
  /** The signature's name: stable, for --json readers and tests. */
  id: string
  /** What went wrong, in one line. */
  cause: string
  /** What to change in the recipe (or on the machine), in one or two lines. */
  fix: string
}

/** What a signature may know about the failure beyond its output. */
export interface FailureFacts {
  step: StepNode
  /** Every step of the recipe, in order. */
  steps: StepNode[]
  /** The failed step's folder and the variables its command saw. */
  cwd: string
  env: Record<string, string>
  root: string
  exitCode: number | undefined
}

export interface Signature {
  id: string
  /** Tried in order; the first that matches the output is the one explained. */
  patterns: RegExp[]
  explain: (
    match: RegExpMatchArray,
    facts: FailureFacts,
    text: string,
  ) => Omit<Diagnosis, 'id'> | undefined | Promise<Omit<Diagnosis, 'id'> | undefined>
}
