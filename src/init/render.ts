// Turns a template plus what was detected into the recipe text `init` writes.
// The template brings the stack's knowledge and its comments; detection is authoritative
// for the settings it found. Steps of types not registered in this build are left out.

import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseDocument,
  YAMLMap,
  YAMLSeq,
} from 'yaml'
import { PACKAGE_HOME } from '../package-name.js'
import { flowScalarLists } from '../recipe/edit.js'
import { stepTypes } from '../steps/index.js'
import { type DetectedStep, type Detection, typeOrder } from './detect.js'
import { overlapInstallsAndServices } from './overlap.js'

export interface RenderedStep {
  slot: string
  /** detected: from the repo only; template+detected: the template's step with detected settings; template: kept as written. */
  origin: 'detected' | 'template+detected' | 'template'
  why: string
}

export interface Rendered {
  text: string
  steps: RenderedStep[]
  /** Template steps left out, and why. */
  dropped: string[]
}

// Our docs, never the npm page of the bare name `devsetup` (an unrelated package).
const emptyRecipe = `# devsetup recipe: what this repository needs to run, step by step.
# Docs: ${PACKAGE_HOME} (\`devsetup doctor\` checks it)
version: 1
steps: []
`

export function renderRecipe(options: {
  detection: Detection
  template?: { name: string; text: string }
  /** --template given: keep its steps even where nothing was detected. */
  keepUndetected: boolean
  schemaLine: string
  /** How the header names devsetup: its `devsetup …` commands become `<command> …`. */
  command: string
}): Rendered {
  const doc = parseDocument(withHeaderCommand(options.template?.text ?? emptyRecipe, options.command))
  const rendered: Rendered = { text: '', steps: [], dropped: [] }
  let steps = doc.get('steps', true)
  if (!isSeq(steps)) {
    steps = new YAMLSeq()
    doc.set('steps', steps)
  }
  const seq = steps as YAMLSeq
  seq.flow = false
  // The seq holds the comment above its first item: keep it with that item when items move.
  if (seq.commentBefore && seq.items[0]) {
    ;(seq.items[0] as Node).commentBefore = seq.commentBefore
    seq.commentBefore = undefined
  }

  const pending = new Map(options.detection.steps.map((s) => [s.slot, s]))
  // The template's DATABASE_URL is for its database step: without one (or for an app that reads
  // DB_HOST/DB_USER/...), it would be a variable nothing reads.
  if (options.detection.dropEnvUrl || (!pending.has('database') && !options.keepUndetected))
    dropTemplateUrl(doc)
  preferEnvUrl(doc, pending.get('database'), options.detection.env)
  const unavailable = (type: string) => `step type \`${type}\` is not available in this version of devsetup`
  for (const [slot, step] of pending) {
    if (stepTypes.has(step.type)) continue
    pending.delete(slot)
    rendered.dropped.push(`${slot}: detected (${step.why}), but ${unavailable(step.type)}`)
  }
  const kept: Node[] = []
  for (const item of seq.items as Node[]) {
    const { type, slot } = describeItem(item)
    if (type && type !== 'parallel' && !stepTypes.has(type)) {
      if (!rendered.dropped.some((d) => d.startsWith(`${slot}:`)))
        rendered.dropped.push(`${slot}: ${unavailable(type)}`)
      continue
    }
    const detected = slot ? pending.get(slot) : undefined
    if (detected) {
      pending.delete(slot!)
      kept.push(withConfig(doc, item, detected))
      rendered.steps.push({ slot: slot!, origin: 'template+detected', why: detected.why })
    } else if (!type || type === 'run' || type === 'parallel' || options.keepUndetected) {
      kept.push(item)
      rendered.steps.push({ slot: slot ?? type ?? 'step', origin: 'template', why: 'from the template' })
    } else {
      rendered.dropped.push(`${slot}: nothing in the repository calls for it`)
    }
  }
  // Where a step goes: by its type, or the type it is ordered as (a config copy goes with dotenv).
  const ranks = new Map<Node, number>()
  const rankOf = (n: Node) => ranks.get(n) ?? typeOrder.indexOf(describeItem(n).type ?? 'run')
  for (const detected of pending.values()) {
    const node = doc.createNode(stepValue(detected)) as Node
    flowScalarLists(node)
    node.commentBefore = ` ${detected.why}`
    const rank = typeOrder.indexOf(detected.orderAs ?? detected.type)
    ranks.set(node, rank)
    const at = kept.findIndex((n) => rankOf(n) > rank)
    kept.splice(at === -1 ? kept.length : at, 0, node)
    rendered.steps.push({ slot: detected.slot, origin: 'detected', why: detected.why })
  }
  seq.items = overlapInstallsAndServices(doc, kept)
  for (const [i, node] of (seq.items as Node[]).entries())
    node.spaceBefore = i > 0 && Boolean(node.commentBefore)

  for (const [name, value] of Object.entries(options.detection.env)) {
    doc.setIn(['env', name], value)
    const why = options.detection.envWhy?.[name]
    const keyOf = (p: { key: unknown }) => (isScalar(p.key) ? p.key.value : p.key)
    const pair = why ? (doc.get('env') as YAMLMap).items.find((p) => keyOf(p) === name) : undefined
    if (pair) pair.key = Object.assign(doc.createNode(name), { commentBefore: ` ${why}` })
  }
  moveEnvBeforeSteps(doc)
  // A bare type with `cwd:` (`- dependencies:` then `cwd: server`) reads better without `null`.
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: false, nullStr: '' })
  rendered.text = `${options.schemaLine}\n${body}`
  return rendered
}

function stepValue(step: DetectedStep): unknown {
  const cwd = step.cwd ? { cwd: step.cwd } : {}
  if (step.flat) return { ...step.flat, ...cwd }
  if (step.config === undefined) return step.cwd ? { [step.type]: null, ...cwd } : step.type
  return { [step.type]: step.config, ...cwd }
}

/** The step type of a recipe item and the detection slot it fills. */
export function describeItem(item: Node): { type?: string; slot?: string } {
  if (isScalar(item)) return { type: String(item.value), slot: String(item.value) }
  if (!isMap(item)) return {}
  const keys = item.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''))
  if (keys.includes('parallel')) return { type: 'parallel' }
  const type = keys.find((k) => typeOrder.includes(k) || stepTypes.has(k))
  if (!type) return {}
  if (type === 'run') return { type, slot: `run: ${String(item.get('name') ?? item.get('run'))}` }
  if (type !== 'runtime') return { type, slot: type }
  const config = item.get('runtime')
  const name =
    typeof config === 'string' ? config : config instanceof YAMLMap ? config.get('name') : undefined
  return { type, slot: `runtime:${String(name)}` }
}

/** The template's env.DATABASE_URL, for an app that reads DB_HOST/DB_USER/... instead. */
function dropTemplateUrl(doc: Document): void {
  if (!doc.hasIn(['env', 'DATABASE_URL'])) return
  doc.deleteIn(['env', 'DATABASE_URL'])
  const env = doc.get('env', true)
  if (isMap(env) && env.items.length === 0) doc.delete('env')
}

/**
 * A template that passes DATABASE_URL to every step (the app reads it) keeps doing so: a literal
 * URL found elsewhere (compose.yaml) becomes the variable's default rather than a second source.
 */
function preferEnvUrl(doc: Document, database: DetectedStep | undefined, env: Record<string, string>): void {
  const config = database?.config as Record<string, unknown> | undefined
  if (!config || !doc.hasIn(['env', 'DATABASE_URL']) || typeof config.url !== 'string') return
  // A default cannot hold `}` and `$` would interpolate: such a URL stays where it is.
  if (/[$}]/.test(config.url)) return
  env.DATABASE_URL = `\${DATABASE_URL:-${config.url}}`
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the recipe's ${VAR} syntax
  config.url = '${DATABASE_URL}'
}

/** The template's step with the detected settings, keeping the template's comments on keys it shares. */
function withConfig(doc: Document, item: Node, detected: DetectedStep): Node {
  const fresh = doc.createNode(stepValue(detected)) as Node
  flowScalarLists(fresh)
  // The template's comment names its default example file: name the one this repository has.
  const from = (detected.config as { from?: string } | undefined)?.from
  fresh.commentBefore =
    detected.type === 'dotenv' && from
      ? item.commentBefore?.replaceAll('.env.example', from)
      : item.commentBefore
  fresh.spaceBefore = item.spaceBefore
  if (!isMap(item) || !isMap(fresh)) return fresh
  // Keep the template's name/id/if/... around the detected settings.
  for (const pair of item.items as Pair<Node, Node>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    if (key === detected.type) {
      const value = fresh.get(key, true) as Node
      if (isMap(pair.value) && isMap(value)) copyComments(pair.value, value)
      else if (value && pair.value) value.comment = pair.value.comment
    } else {
      fresh.items.splice(fresh.items.length - 1, 0, pair as Pair<unknown, unknown>)
    }
  }
  return fresh
}

function copyComments(from: YAMLMap, to: YAMLMap): void {
  for (const pair of to.items as Pair<Node, Node>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    const old = (from.items as Pair<Node, Node>[]).find((p) => isScalar(p.key) && String(p.key.value) === key)
    if (!old) continue
    if (pair.key && old.key) pair.key.commentBefore = old.key.commentBefore
    if (pair.value && old.value) pair.value.comment = old.value.comment
  }
}

/** A template may lack `env`; a generated one goes before `steps`, where a reader looks for it. */
/**
 * The template's header (its first comment lines) says how to run devsetup as `devsetup …`: there
 * it names the command that wrote the recipe, so a team reads the way that works today (npx's
 * pinned package when run through npx). Only the header: a step's comment is left as written.
 */
function withHeaderCommand(text: string, command: string): string {
  if (command === 'devsetup') return text
  const header = /^(?:#.*\n)*/.exec(text)![0]
  return header.replaceAll('`devsetup', `\`${command}`) + text.slice(header.length)
}

function moveEnvBeforeSteps(doc: Document): void {
  const root = doc.contents
  if (!isMap(root)) return
  // A key made by setIn is a plain string, not a Scalar node.
  const keys = root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)))
  const env = keys.indexOf('env')
  const steps = keys.indexOf('steps')
  if (env > steps && steps !== -1) {
    const [pair] = root.items.splice(env, 1)
    root.items.splice(steps, 0, pair!)
    const stepsKey = (root.items[steps + 1] as Pair<Node>).key
    if (stepsKey) stepsKey.spaceBefore = true
  }
}
