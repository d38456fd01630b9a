// The third and last source of a step's `${VAR}`, after the shell and the recipe's `env:`: the
// env files of the `dotenv` steps before it, as they will be once those steps have run
// (src/steps/dotenv/scope.ts says what a file will hold). An app reads its database name from
// .env; a `database:` step whose `url:` takes it from there checks the database the app uses,
// not the example's. Later dotenv steps shadow earlier ones; the shell and the recipe win over
// every file, as they do for the app (Node's dotenv and dotenv-rails never override the
// environment). The files read and the values taken are recorded for the recipe cache, which
// must miss when one changes and must never store such a value (cache.ts).
import path from 'node:path'
import { isMap, isScalar, type Node } from 'yaml'
import { assertFileInside } from '../engine/confine.js'
import { noteSecretEnv } from '../engine/mask.js'
import { type DotenvFile, parseDotenv } from '../steps/dotenv/parse.js'
import { heldAfterRun, type Pick, type ValueConfig } from '../steps/dotenv/scope.js'
import { readEnvText } from './cache-env-files.js'
import { type ServerEnvFile, serverFilesLooked } from './server-env-scope.js'
import type { RecipeSource } from './source.js'

/** The dotenv step's schema (src/steps/dotenv/schema.ts), as the step types hold it. */
export interface DotenvSchema {
  safeParse(value: unknown): { success: boolean; data?: unknown }
}

/** A dotenv step as the steps after it read it. */
export interface DotenvStepAt {
  /** 1-based line of the step in the recipe. */
  line: number
  /** Its folder and files, relative to the repository (as messages show them) and absolute. */
  shown: { from: string; to: string }
  files: { from: string; to: string }
  cfg: ValueConfig
}

/** A value a parse took from an env file: which file, which definition of which key. */
export interface FileValue {
  file: string
  key: string
  pick: Pick
  value: string
}

/** The env files a parse read (text then; null: no such file) and the values it took from them. */
export class EnvFileReads {
  readonly texts = new Map<string, string | null>()
  readonly values: FileValue[] = []
  /** A file that exists but could not be read: such a parse is not kept (no cache rather than a wrong one). */
  unreadable = false
  private readonly parsed = new Map<string, DotenvFile | undefined | 'unreadable'>()

  /** The file parsed; undefined when it does not exist, 'unreadable' when it cannot be read. */
  read(file: string): DotenvFile | undefined | 'unreadable' {
    if (this.parsed.has(file)) return this.parsed.get(file)
    let parsed: DotenvFile | undefined | 'unreadable'
    try {
      const text = readEnvText(file)
      this.texts.set(file, text)
      parsed = text === null ? undefined : parseDotenv(text)
    } catch {
      this.unreadable = true
      parsed = 'unreadable'
    }
    this.parsed.set(file, parsed)
    return parsed
  }

  took(value: FileValue): void {
    const same = (v: FileValue) => v.file === value.file && v.key === value.key && v.pick === value.pick
    if (!this.values.some(same)) this.values.push(value)
  }
}

/**
 * The dotenv step `node` is, with its config checked by the step's own schema; undefined for
 * any other step, and for one whose config or files are wrong (the step reports that itself).
 */
export function dotenvStepAt(
  source: RecipeSource,
  node: Node,
  root: string,
  schema: () => DotenvSchema | undefined,
): DotenvStepAt | undefined {
  let raw: unknown
  let cwd = '.'
  if (isScalar(node) && node.value === 'dotenv') raw = undefined
  else if (isMap(node) && node.has('dotenv')) {
    const step = node.toJS(source.doc, { maxAliasCount: 1000 }) as Record<string, unknown>
    raw = step.dotenv ?? undefined
    if (typeof step.cwd === 'string') cwd = step.cwd
  } else return undefined
  const parsed = schema()?.safeParse(raw)
  if (!parsed?.success) return undefined
  const cfg = parsed.data as ValueConfig & { to: string }
  const folder = path.resolve(root, cwd)
  try {
    assertFileInside(root, folder, cfg.from, 'from')
    assertFileInside(root, folder, cfg.to, 'to')
  } catch {
    return undefined
  }
  return {
    line: source.position(node.range?.[0] ?? 0).line,
    shown: { from: path.join(cwd, cfg.from), to: path.join(cwd, cfg.to) },
    files: { from: path.resolve(folder, cfg.from), to: path.resolve(folder, cfg.to) },
    cfg,
  }
}

/** `from`: where the value is written, as messages show it (`.env`, `.env.example`, the step's `set:`). */
type Found = { value: string; from: string } | { generatedBy: DotenvStepAt } | undefined

/** `name` as the env files of `steps` (in recipe order) will hold it: the last step that defines it. */
export function lookUpEnvFiles(steps: readonly DotenvStepAt[], name: string, reads: EnvFileReads): Found {
  for (const step of [...steps].reverse()) {
    const target = reads.read(step.files.to)
    const example = reads.read(step.files.from)
    // What the app will read is unknown here (and the step itself fails on it).
    if (target === 'unreadable' || example === 'unreadable') return undefined
    const held = heldAfterRun(step.cfg, example, target, name)
    if (!held) continue
    if (held.kind === 'generated') return { generatedBy: step }
    if (held.file !== 'set') {
      reads.took({ file: step.files[held.file], key: name, pick: held.pick, value: held.value })
    }
    // A secret read from a file is masked as the environment's are.
    noteSecretEnv({ [name]: held.value })
    const from =
      held.file === 'set' ? `the \`set:\` of the dotenv step at line ${step.line}` : step.shown[held.file]
    return { value: held.value, from }
  }
  return undefined
}

/** Why `name` has no value for a step after `steps` (and with `serverFiles`), naming every place looked in. */
export function whereLookedFor(
  steps: readonly DotenvStepAt[],
  name: string,
  reads: EnvFileReads,
  serverFiles: readonly ServerEnvFile[] = [],
): { message: string; hint: string } {
  const found = lookUpEnvFiles(steps, name, reads)
  if (found && 'generatedBy' in found) {
    const { line, shown } = found.generatedBy
    return {
      message: `\`${name}\` has no value until the dotenv step at line ${line} generates it in ${shown.to}`,
      hint: `set ${name} in ${shown.to} yourself, or give a default (\${${name}:-value})`,
    }
  }
  const files = [
    ...steps.map((s) => `${s.shown.to} or ${s.shown.from} (the dotenv step at line ${s.line})`),
    ...serverFilesLooked(serverFiles),
  ]
  const addTo = steps.at(-1)?.shown.from ?? serverFiles[0]?.shown
  return {
    message: `undefined variable \`${name}\`: not in the recipe's \`env:\`, your shell, ${files.join(', ')}`,
    hint: `${addTo ? `add ${name} to ${addTo}, ` : ''}define it under \`env:\` in the recipe or in your shell, or give a default (\${${name}:-value})`,
  }
}
