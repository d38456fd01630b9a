// What a dotenv step's target file will hold, key by key, once the step has run. Knowable
// before it runs, because the step never changes a value: it only copies the file from the
// example, appends the keys the file lacks, and fills an empty `generate:` or `required:` key.
// The recipe loader reads a later step's `${VAR}` from here (src/recipe/env-file-scope.ts), and
// `required:`'s refill (required.ts) takes its value from `refillValue` below: one rule for both.
import { emptyKeys } from './merge.js'
import { type DotenvFile, definitionOf, type Pick } from './parse.js'

export type { Pick }

/** The parts of the step's config (schema.ts) that decide a value. */
export interface ValueConfig {
  from: string
  required: readonly string[]
  generate: readonly string[]
  set: Readonly<Record<string, string>>
}

/** What the key will hold and where that value is read from (`set:` is the recipe's own text). */
export type Held =
  | { kind: 'value'; value: string; file: 'to' | 'from'; pick: Pick }
  | { kind: 'value'; value: string; file: 'set' }
  /** A `generate:` key that has no value yet: its value is made when the step runs. */
  | { kind: 'generated' }

/**
 * The value `required:` refills an emptied key with: `set:`'s, else the example's own (its last
 * definition) when that is not empty, with where it is from; undefined when nothing gives one.
 */
export function refillValue(
  cfg: ValueConfig,
  example: DotenvFile | undefined,
  key: string,
): { value: string; file: 'set' | 'from'; from: string } | undefined {
  if (key in cfg.set) return { value: cfg.set[key]!, file: 'set', from: '`set:`' }
  const given = example && definitionOf(example, key, 'last')
  return given?.value
    ? { value: given.value, file: 'from', from: `${cfg.from}:${given.firstLine + 1}` }
    : undefined
}

/**
 * What `key` of the target will be once the step has run, given the example and the target as
 * they are now (undefined: no such file); undefined when the target will not define it.
 */
export function heldAfterRun(
  cfg: ValueConfig,
  example: DotenvFile | undefined,
  target: DotenvFile | undefined,
  key: string,
): Held | undefined {
  const own = target && definitionOf(target, key, 'last')
  if (own) {
    // An empty value the step fills (merge.ts emptyKeys: one definition, on one line).
    if (emptyKeys(target, [key]).length > 0) {
      if (cfg.generate.includes(key)) return { kind: 'generated' }
      const refill = cfg.required.includes(key) ? refillValue(cfg, example, key) : undefined
      if (refill?.file === 'set') return { kind: 'value', value: refill.value, file: 'set' }
      if (refill) return { kind: 'value', value: refill.value, file: 'from', pick: 'last' }
    }
    return { kind: 'value', value: own.value, file: 'to', pick: 'last' }
  }
  // The key is missing: the step writes it (a new file, or appended), `set:` first.
  if (key in cfg.set) return { kind: 'value', value: cfg.set[key]!, file: 'set' }
  if (cfg.generate.includes(key)) return { kind: 'generated' }
  // Without an example the step fails and writes nothing.
  if (!example) return undefined
  // A new file is the example line for line (its last definition wins); an append copies the
  // example's first definition of the key (merge.ts appendixForMissing).
  const pick: Pick = target ? 'first' : 'last'
  const entry = definitionOf(example, key, pick)
  return entry && { kind: 'value', value: entry.value, file: 'from', pick }
}
