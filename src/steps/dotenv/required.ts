// `required:` — keys that must not be empty. A key emptied in .env while the example fills it
// (`MYSQL_DATABASE=`, a login `PASSWORD=`) leaves the app broken with every other key in place,
// yet an empty value is also how a person turns a feature off: so only the keys the recipe
// lists are red when empty, and `run` fills each with the value a new .env would have got
// (`set:`, else the example's). A key the recipe also generates is `generate:`'s to fill.
import { emptyKeys } from './merge.js'
import type { DotenvFile } from './parse.js'
import { definitionOf } from './parse.js'
import { refillValue } from './scope.js'

interface RequiredConfig {
  from: string
  to: string
  required: readonly string[]
  generate: readonly string[]
  set: Readonly<Record<string, string>>
}

export interface EmptyRequired {
  key: string
  /** 1-based line of the empty definition in the target. */
  line: number
  /** What fills it, and where that value comes from; undefined when nothing gives one. */
  fill?: { value: string; from: string }
}

/**
 * Required keys nothing can give a value: the example lacks them and neither `set:` nor
 * `generate:` names them. A recipe mistake (a misspelt key, an example that dropped it); said
 * before anything is written. Not a parse-time error: a kept parse depends only on the env
 * files a later step's `${VAR}` was read from (recipe/cache-env-files.ts), so it would go stale
 * when the example changes.
 */
export function requiredWithoutSource(cfg: RequiredConfig, example: DotenvFile): string[] {
  return cfg.required.filter(
    (key) => !(key in cfg.set) && !cfg.generate.includes(key) && !definitionOf(example, key, 'last'),
  )
}

export function describeWithoutSource(cfg: RequiredConfig, keys: readonly string[]): string {
  return `\`required:\` lists ${keys.join(', ')}, which ${cfg.from} does not define and neither \`set:\` nor \`generate:\` gives`
}

/** The required keys the target defines with an empty value, each with what fills it. */
export function emptyRequired(cfg: RequiredConfig, example: DotenvFile, target: DotenvFile): EmptyRequired[] {
  const own = cfg.required.filter((key) => !cfg.generate.includes(key))
  return emptyKeys(target, own).map((key) => {
    const line = target.entries.find((e) => e.key === key)!.firstLine + 1
    const refill = refillValue(cfg, example, key)
    return refill ? { key, line, fill: { value: refill.value, from: refill.from } } : { key, line }
  })
}

/**
 * `.env:24 has an empty MYSQL_DATABASE, which \`required:\` lists; .env.example:24 gives
 * MYSQL_DATABASE=database`, for each. The value ends the clause: output masking cuts a secret
 * name's value at a space or `;` (engine/mask.ts), and would take a closing bracket with it.
 */
export function describeEmptyRequired(cfg: RequiredConfig, empty: readonly EmptyRequired[]): string {
  const each = empty.map(({ key, line, fill }) =>
    fill
      ? `${cfg.to}:${line} has an empty ${key}, which \`required:\` lists; ${fill.from} gives ${key}=${fill.value}`
      : `${cfg.to}:${line} has an empty ${key}, which \`required:\` lists; ${cfg.from} leaves it empty too and no \`set:\` gives it`,
  )
  return each.join('; ')
}

/** What a person does about them: `up` fills those with a value; the rest only they can set. */
export function fixEmptyRequired(cfg: RequiredConfig, empty: readonly EmptyRequired[]): string {
  const fillable = empty.filter((e) => e.fill)
  const unfillable = empty.filter((e) => !e.fill)
  const parts: string[] = []
  if (fillable.length > 0)
    parts.push(
      `\`devsetup up\` sets ${fillable.map((e) => `${e.key}=${e.fill!.value}`).join(', ')} in ${cfg.to} (or set your own value)`,
    )
  if (unfillable.length > 0)
    parts.push(
      `set ${unfillable.map((e) => e.key).join(', ')} in ${cfg.to}: devsetup has no value for ${unfillable.length === 1 ? 'it' : 'them'}`,
    )
  return `${parts.join('; ')}; blanked on purpose (to turn a feature off)? remove it from \`required:\``
}
