// `devsetup add <type> key=value ...`: turns command-line words into a step, using the type's
// own schema to tell a list from a string and a number from a version.
//
// Rules: `key=value` uses YAML scalar rules (3 → number, true → boolean) only where the schema
// accepts a number/boolean; where it also accepts text, only values that read the same either way
// convert (`timeout=90`), so `version=3.10` and `version=010` stay as typed. `env.*` is always text.
// `key=a,b` is a list only where the schema expects one; `key=[a, b]` / `key={a: 1}` is YAML flow
// syntax only where a list/map is accepted. `a.b=c` sets a nested key (typed by the nested schema). A single word without `=` is the type's shorthand
// (`devsetup add runtime node`).
import { parse } from 'yaml'
import * as z from 'zod'
import { UserError } from '../errors.js'
import { commonKeys, commonKeysSchema } from '../recipe/schema.js'
import type { AnyStepType } from '../steps/define.js'

type JsonSchema = {
  type?: string | string[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  description?: string
  additionalProperties?: JsonSchema | boolean
  $ref?: string
  $defs?: Record<string, JsonSchema>
}

export interface KeyInfo {
  name: string
  description: string
  required: boolean
  accepts: Set<string>
}

function jsonSchema(schema: z.ZodType): JsonSchema {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
  } catch {
    return {}
  }
}

/** The object form of a schema (a shorthand union's map branch), with $refs resolved one level. */
function objectForm(root: JsonSchema): JsonSchema | undefined {
  const resolve = (s: JsonSchema): JsonSchema =>
    s.$ref?.startsWith('#/$defs/') ? (root.$defs?.[s.$ref.slice(8)] ?? s) : s
  const queue = [root]
  while (queue.length > 0) {
    const s = resolve(queue.shift()!)
    if (s.properties) return { ...s, $defs: root.$defs ?? {} }
    queue.push(...(s.anyOf ?? []), ...(s.oneOf ?? []))
  }
  return undefined
}

function acceptedTypes(root: JsonSchema, s: JsonSchema | undefined, into = new Set<string>()): Set<string> {
  if (!s) return into
  if (s.$ref?.startsWith('#/$defs/')) return acceptedTypes(root, root.$defs?.[s.$ref.slice(8)], into)
  for (const t of Array.isArray(s.type) ? s.type : s.type ? [s.type] : [])
    into.add(t === 'integer' ? 'number' : t)
  for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) acceptedTypes(root, branch, into)
  return into
}

/** The keys of a step type's config, for prompts and value conversion. */
export function configKeys(stepType: AnyStepType): KeyInfo[] {
  const root = jsonSchema(stepType.schema)
  const form = objectForm(root)
  return Object.entries(form?.properties ?? {}).map(([name, s]) => ({
    name,
    description: s.description ?? '',
    required: form?.required?.includes(name) ?? false,
    accepts: acceptedTypes(root, s),
  }))
}

// Built on first use: generating a JSON Schema costs milliseconds every devsetup run would pay.
let commonRootCache: JsonSchema | undefined
function commonRoot(): JsonSchema {
  commonRootCache ??= jsonSchema(commonKeysSchema)
  return commonRootCache
}

/** The schemas a map value may take at `s`: $refs resolved, anyOf/oneOf branches expanded. */
function mapForms(root: JsonSchema, s: JsonSchema | undefined, depth = 0): JsonSchema[] {
  if (!s || depth > 8) return []
  if (s.$ref?.startsWith('#/$defs/')) return mapForms(root, root.$defs?.[s.$ref.slice(8)], depth + 1)
  const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap((b) => mapForms(root, b, depth + 1))
  return s.properties || typeof s.additionalProperties === 'object' ? [s, ...branches] : branches
}

/** What the schema accepts at a nested key (`if.env.CI`, `config.port`); undefined where it knows no such key. */
function acceptsAt(root: JsonSchema, path: string[]): Set<string> | undefined {
  let nodes: JsonSchema[] = [root]
  for (const segment of path) {
    nodes = nodes
      .flatMap((node) => mapForms(root, node))
      .flatMap((form) => {
        const next = form.properties?.[segment] ?? form.additionalProperties
        return typeof next === 'object' ? [next] : []
      })
    if (nodes.length === 0) return undefined
  }
  const into = new Set<string>()
  for (const node of nodes) acceptedTypes(root, node, into)
  return into
}

/** A command-line word as the value the schema expects (see the rules at the top). */
export function convertValue(key: string, raw: string, accepts: Set<string> | undefined): unknown {
  const anything = !accepts || accepts.size === 0
  const takes = (kind: string) => anything || accepts!.has(kind)
  // `check='[ -d node_modules/.bin ]'` is a command, not a list: flow syntax only where a list/map fits.
  if (/^\s*[[{]/.test(raw) && (takes('array') || takes('object'))) {
    let flow: unknown
    try {
      flow = parse(raw)
    } catch (error) {
      if (accepts?.has('string')) return raw
      throw new UserError(
        `${key}=${raw}: not valid YAML flow syntax (${(error as Error).message.split('\n')[0]})`,
      )
    }
    if (takes(Array.isArray(flow) ? 'array' : 'object') || !accepts?.has('string')) return flow
    return raw
  }
  if (accepts?.has('array') && (raw.includes(',') || !accepts.has('string'))) {
    return raw
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
  }
  let scalar: unknown
  try {
    scalar = parse(raw)
  } catch {
    return raw
  }
  const kind = typeof scalar
  if ((kind !== 'number' && kind !== 'boolean') || !takes(kind)) return raw
  if (!accepts?.has('string')) return scalar
  // The key takes text too: only a value that means the same either way (20, true) becomes a
  // number/boolean; `3.10`, `010`, `1e3` stay exactly as typed.
  return raw === String(scalar) && !/[.eE]/.test(raw) ? scalar : raw
}

export interface StepArgs {
  words: string[]
  name?: string | undefined
  id?: string | undefined
}

/** The step to insert: `- dependencies`, `- runtime: node`, or a map with its common keys first. */
export function buildStep(stepType: AnyStepType, args: StepArgs): unknown {
  const keys = new Map(configKeys(stepType).map((k) => [k.name, k]))
  const config: Record<string, unknown> = {}
  const common: Record<string, unknown> = {}
  let shorthand: string | undefined
  // Built only for a nested key of the type's own config: a JSON Schema costs milliseconds.
  const typeRoot = lazy(() => jsonSchema(stepType.schema))
  for (const word of args.words) {
    const match = /^([A-Za-z_$][\w$-]*(?:\.[\w$-]+)*)=([\s\S]*)$/.exec(word)
    if (!match) {
      if (shorthand !== undefined || stepType.form === 'flat')
        throw new UserError(
          `unexpected argument \`${word}\``,
          'settings are written key=value, e.g. run="npx husky"',
        )
      shorthand = word
      continue
    }
    const [path, raw] = [match[1]!.split('.'), match[2]!]
    const top = path[0]!
    // A key the type knows goes in its config; `cwd`, `if`, `timeout`, ... otherwise go on the step.
    const isCommon = !keys.has(top) && commonKeys.includes(top)
    const onStep = stepType.form === 'nested' && isCommon
    // Variables are text: `env.ZIP=01234` must not become 1234.
    const accepts =
      top === 'env' && isCommon && path.length === 2
        ? new Set(['string'])
        : isCommon
          ? acceptsAt(commonRoot(), path)
          : path.length === 1
            ? keys.get(top)?.accepts
            : acceptsAt(typeRoot(), path)
    setPath(onStep ? common : config, path, convertValue(match[1]!, raw, accepts), word)
  }
  if (shorthand !== undefined && Object.keys(config).length > 0)
    throw new UserError(`give either \`${shorthand}\` or key=value settings, not both`)

  const head: Record<string, unknown> = {}
  if (args.name !== undefined) head.name = args.name
  if (args.id !== undefined) head.id = args.id
  if (stepType.form === 'flat') return { ...head, ...config }
  let value: unknown = Object.keys(config).length > 0 ? config : shorthand
  if (shorthand !== undefined) value = convertValue(stepType.type, shorthand, new Set(['string']))
  if (value === undefined) {
    if (Object.keys(head).length + Object.keys(common).length === 0) return stepType.type
    // `- name: Deps` + `dependencies:` is null in YAML: use {} where the type accepts that instead.
    value = !stepType.schema.safeParse(null).success && stepType.schema.safeParse({}).success ? {} : null
  }
  return { ...head, [stepType.type]: value, ...common }
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined
  return () => {
    value ??= make()
    return value
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown, word: string): void {
  let node = target
  for (const segment of path.slice(0, -1)) {
    const next = node[segment]
    if (next !== undefined && (typeof next !== 'object' || next === null || Array.isArray(next)))
      throw new UserError(`\`${word}\` conflicts with an earlier setting of \`${segment}\``)
    if (next === undefined) node[segment] = {}
    node = node[segment] as Record<string, unknown>
  }
  const last = path.at(-1)!
  if (last in node) throw new UserError(`\`${path.join('.')}\` is given twice`)
  node[last] = value
}
