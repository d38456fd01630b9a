// "What's new in the recipe since your last run": the recipe's steps as of the last successful
// `up` are remembered in state; the next `up` / `doctor` lists the steps added, removed and
// changed (which keys) before it runs.
//
// The snapshot is taken from the recipe as written (before `${VAR}` interpolation), so a changed
// environment variable is not reported as a recipe change, and each key's value is kept only as
// a short hash: state never holds a value the recipe did not already show, and stays small.
import { createHash } from 'node:crypto'
import chalk from 'chalk'
import { allSteps, type Recipe } from '../recipe/types.js'

export interface StepSnapshot {
  type: string
  title: string
  /** key (`run`, `creates`, `database.url`) → hash of its value as written. */
  keys: Record<string, string>
}

export interface RecipeSnapshot {
  savedAt: string
  steps: Record<string, StepSnapshot>
  /** The recipe's top-level `env`: name → hash. */
  env: Record<string, string>
}

export interface StepRef {
  step: string
  type: string
  title: string
}

export interface RecipeChanges {
  /** When the snapshot compared against was taken: the last successful run. */
  since: string
  added: StepRef[]
  removed: StepRef[]
  changed: (StepRef & { keys: string[] })[]
  env: { added: string[]; removed: string[]; changed: string[] }
}

const hash = (value: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(canonical(value)) ?? 'null')
    .digest('hex')
    .slice(0, 12)

/** The same value with map keys sorted, so that reordering keys is not a change. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (isMap(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    )
  }
  return value
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** `{ name, run, creates }` → run, creates, name; `{ database: { url } }` → database.url. */
function stepKeys(raw: unknown, type: string): Record<string, string> {
  if (!isMap(raw)) return { [type]: hash(null) } // the bare form `- dependencies`
  const keys: Record<string, string> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (key === type && isMap(value)) {
      for (const [sub, subValue] of Object.entries(value)) keys[`${type}.${sub}`] = hash(subValue)
    } else {
      keys[key] = hash(value)
    }
  }
  return keys
}

/** The steps (parallel groups flattened) and env of the document as written. */
function writtenParts(value: unknown): { steps: unknown[] | undefined; env: unknown } {
  const doc = value as Record<string, unknown> | null
  const steps = Array.isArray(doc?.steps)
    ? doc.steps.flatMap((item: unknown) =>
        isMap(item) && Array.isArray(item.parallel) ? (item.parallel as unknown[]) : [item],
      )
    : undefined
  return { steps, env: doc?.env }
}

export function snapshotRecipe(recipe: Recipe, now = new Date()): RecipeSnapshot {
  const steps = allSteps(recipe)
  // The loader keeps the document as written (also in the recipe cache). A recipe made
  // without it, or one that does not line up, falls back to the loaded, interpolated
  // config, which is still a faithful picture of the steps.
  const written = writtenParts(recipe.written)
  const rawSteps = written.steps?.length === steps.length ? written.steps : undefined
  const snapshot: RecipeSnapshot = { savedAt: now.toISOString(), steps: {}, env: {} }
  steps.forEach((step, index) => {
    const value = rawSteps ? rawSteps[index] : { [step.type]: step.config ?? null }
    snapshot.steps[step.id] = { type: step.type, title: step.title, keys: stepKeys(value, step.type) }
  })
  const env = isMap(written.env) ? written.env : recipe.env
  for (const [name, value] of Object.entries(env)) snapshot.env[name] = hash(value)
  return snapshot
}

const diffKeys = (before: Record<string, string>, after: Record<string, string>) => ({
  added: Object.keys(after).filter((k) => !(k in before)),
  removed: Object.keys(before).filter((k) => !(k in after)),
  changed: Object.keys(after).filter((k) => k in before && before[k] !== after[k]),
})

/** The differences, or undefined when there is nothing earlier to compare with or nothing changed. */
export function recipeChanges(
  previous: RecipeSnapshot | undefined,
  current: RecipeSnapshot,
): RecipeChanges | undefined {
  if (!previous) return undefined
  const ref = (step: string, s: StepSnapshot): StepRef => ({ step, type: s.type, title: s.title })
  const ids = diffKeys(
    Object.fromEntries(Object.keys(previous.steps).map((id) => [id, ''])),
    Object.fromEntries(Object.keys(current.steps).map((id) => [id, ''])),
  )
  const changed: RecipeChanges['changed'] = []
  for (const [id, now] of Object.entries(current.steps)) {
    const before = previous.steps[id]
    if (!before) continue
    const keys = diffKeys(before.keys, now.keys)
    const all = [...keys.changed, ...keys.added, ...keys.removed]
    if (before.type !== now.type) all.unshift('type')
    if (all.length > 0) changed.push({ ...ref(id, now), keys: all })
  }
  const changes: RecipeChanges = {
    since: previous.savedAt,
    added: ids.added.map((id) => ref(id, current.steps[id]!)),
    removed: ids.removed.map((id) => ref(id, previous.steps[id]!)),
    changed,
    env: diffKeys(previous.env ?? {}, current.env),
  }
  const empty =
    changes.added.length + changes.removed.length + changes.changed.length === 0 &&
    Object.values(changes.env).every((names) => names.length === 0)
  return empty ? undefined : changes
}

/** "3 hours ago": when the compared run was, in words a person reads at a glance. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ]
  for (const [size, unit] of units) {
    const n = Math.floor(seconds / size)
    if (n >= 1) return `${n} ${unit}${n === 1 ? '' : 's'} ago`
  }
  return 'just now'
}

/** The short list shown before `up` / `doctor` runs (uncolored; the caller colors). */
export function describeRecipeChanges(changes: RecipeChanges, now = Date.now()): string[] {
  const lines = [`Recipe changes since your last successful run (${timeAgo(changes.since, now)}):`]
  for (const s of changes.added) lines.push(`  + ${s.title} (${s.step}) — new step`)
  for (const s of changes.removed) lines.push(`  - ${s.title} (${s.step}) — removed`)
  for (const s of changes.changed) lines.push(`  ~ ${s.title} (${s.step}) — changed: ${s.keys.join(', ')}`)
  const env = (['added', 'removed', 'changed'] as const)
    .filter((kind) => changes.env[kind].length > 0)
    .map((kind) => `${kind} ${changes.env[kind].join(', ')}`)
  if (env.length > 0) lines.push(`  ~ recipe env — ${env.join('; ')}`)
  return lines
}

/** The `--json` event that carries the same list (documented in the README). */
export function recipeChangesEvent(changes: RecipeChanges): Record<string, unknown> {
  return { event: 'recipe:changed', ...changes }
}

/** Prints the list (or, with --json, its event) before a run; nothing when nothing changed. */
export function announceRecipeChanges(
  changes: RecipeChanges | undefined,
  write: (line: string) => void,
  json: boolean,
): void {
  if (!changes) return
  if (json) {
    write(JSON.stringify(recipeChangesEvent(changes)))
    return
  }
  const [title, ...rest] = describeRecipeChanges(changes)
  write(chalk.bold(title!))
  for (const line of rest) write(line.startsWith('  -') ? chalk.dim(line) : line)
  write('')
}
