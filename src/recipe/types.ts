import type { AnyStepType } from '../steps/define.js'

/** When a step applies. All given keys must hold. */
export interface Condition {
  platform?: string[]
  arch?: string[]
  /** Variable names that must be set and non-empty, or name → exact value. */
  env?: Record<string, string | true>
  ci?: boolean
  /** Paths (relative to the repository) that must exist. */
  exists?: string[]
}

export interface StepOptions {
  if?: Condition
  timeoutMs?: number
  retries: number
  optional: boolean
  env: Record<string, string>
  /** Relative to the repository root; already checked to stay inside it. */
  cwd?: string
  /** Overrides the type's `restarts` default. */
  restarts?: boolean
  /** Steps (`id` or `id:kind`) whose change makes this step run again. */
  whenChanged?: string[]
}

export interface Position {
  line: number
  col: number
}

export interface StepNode {
  kind: 'step'
  id: string
  type: string
  stepType: AnyStepType
  name?: string
  title: string
  config: unknown
  options: StepOptions
  position: Position
}

export interface ParallelGroup {
  kind: 'parallel'
  id: string
  name?: string
  title: string
  steps: StepNode[]
  position: Position
}

export type RecipeItem = StepNode | ParallelGroup

export interface Recipe {
  /** Absolute path of the recipe file. */
  file: string
  /** The repository root: the recipe's folder. */
  root: string
  version: 1
  env: Record<string, string>
  items: RecipeItem[]
  /** Non-fatal findings for `validate` ("step `x` has no check: it runs every time"). */
  warnings: string[]
  /** The document as written, before `${VAR}` was filled in (what "recipe changes" compare). */
  written?: unknown
  /** A step is red because an env file's value broke its settings (broken-by-env.ts): not cached. */
  uncached?: true
}

/** Every step in order, parallel groups flattened. */
export function allSteps(recipe: Pick<Recipe, 'items'>): StepNode[] {
  return recipe.items.flatMap((item) => (item.kind === 'parallel' ? item.steps : [item]))
}
