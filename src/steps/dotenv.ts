// `dotenv`: the `cp .env.example .env` of a bin/setup, made safe to repeat. The target gets
// every key of the example; a key it lacks is appended with the example's value and
// comment. An existing line is never changed or removed, and a key is never appended when
// the file may already define it (dotenv would read the appended placeholder instead).
import type { z } from 'zod'
import { assertFileInside } from '../engine/confine.js'
import { UserError } from '../errors.js'
import { type CheckResult, defineStepBehavior } from './define.js'
import { appendToEnvFile, createEnvFile, type EnvFile, readEnvFile, rewriteEnvFile } from './dotenv/files.js'
import {
  appendProblem,
  describeUnreadable,
  type UnreadableDefinition,
  unreadableDefinitions,
} from './dotenv/guard.js'
import {
  appendixForMissing,
  emptyKeys,
  fillEmpty,
  missingKeys,
  newFileFrom,
  requiredKeys,
  secretsFor,
} from './dotenv/merge.js'
import {
  describeEmptyRequired,
  describeWithoutSource,
  emptyRequired,
  fixEmptyRequired,
  requiredWithoutSource,
} from './dotenv/required.js'
import type { schema } from './dotenv/schema.js'

export const dotenv = defineStepBehavior<typeof schema>({
  type: 'dotenv',
  description: 'create .env from .env.example, or append the keys it lacks; never changes a line',
  form: 'nested',
  title: (cfg) => `Env file ${cfg.to} from ${cfg.from}`,

  async check(cfg, ctx): Promise<CheckResult> {
    try {
      return await checkFiles(cfg, ctx)
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      return { met: false, reason: error.message, ...(error.hint ? { fix: error.hint } : {}) }
    }
  },

  async run(cfg, ctx) {
    const loaded = await load(cfg, ctx, (example) => {
      for (const line of example.parsed.invalidLines) {
        ctx.output(`${cfg.from}:${line}: not KEY=value, not copied`)
      }
    })
    if (!loaded.example) {
      throw new UserError(
        `${cfg.from} not found`,
        `add it to the repository, or point \`from:\` at the example file`,
      )
    }
    const { example, target } = loaded
    const sourceless = requiredWithoutSource(cfg, example.parsed)
    if (sourceless.length > 0)
      throw new UserError(describeWithoutSource(cfg, sourceless), sourcelessFix(sourceless))
    if (!target) {
      const created = newFileFrom(example.parsed, cfg.generate, secretsFor(example.parsed), cfg.set)
      await createEnvFile(ctx.cwd, cfg.to, created.text)
      return {
        summary: `created ${cfg.to} from ${cfg.from} (${plural(created.added.length, 'key')}${generatedNote(created.generated)})`,
      }
    }
    const { missing, unreadable } = loaded
    const appendix = appendixForMissing(
      target.parsed,
      example.parsed,
      missing,
      cfg.generate,
      secretsFor(example.parsed),
      cfg.set,
    )
    let summary = `${cfg.to} already complete${keptValues(cfg, target)}`
    if (appendix.added.length > 0) {
      const problem = appendProblem(target.text, target.parsed, appendix)
      if (problem) {
        throw new UserError(
          `cannot add ${listKeys(appendix.added)} to ${cfg.to}: ${problem}`,
          `check the quotes in ${cfg.to}, or add the keys by hand`,
        )
      }
      await appendToEnvFile(ctx.cwd, cfg.to, appendix.text, listKeys(appendix.added))
      summary = `added ${listKeys(appendix.added)} to ${cfg.to}${generatedNote(appendix.generated)}`
    }
    const empty = emptyKeys(target.parsed, cfg.generate)
    const emptied = emptyRequired(cfg, example.parsed, target.parsed)
    const fillable = emptied.filter((e) => e.fill)
    if (empty.length + fillable.length > 0) {
      // Re-read: the append above changed the text, not the lines already there.
      const current = (await readEnvFile(ctx.cwd, cfg.to))!
      const secret = secretsFor(example.parsed)
      const values = new Map(fillable.map((e) => [e.key, e.fill!.value]))
      const keys = [...empty, ...values.keys()]
      await rewriteEnvFile(
        ctx.cwd,
        cfg.to,
        fillEmpty(current.text, current.parsed, keys, (key) => values.get(key) ?? secret(key)),
      )
      const filled = [
        empty.length > 0 && `filled the empty ${listKeys(empty)} in ${cfg.to} with a generated secret`,
        ...fillable.map((e) => `filled the empty ${e.key} in ${cfg.to} with its value from ${e.fill!.from}`),
      ].filter(Boolean)
      summary = appendix.added.length > 0 ? [summary, ...filled].join('; ') : filled.join('; ')
    }
    const unfillable = emptied.filter((e) => !e.fill)
    if (unfillable.length > 0) {
      if (appendix.added.length + count(empty, fillable) > 0) ctx.output(summary)
      throw new UserError(describeEmptyRequired(cfg, unfillable), fixEmptyRequired(cfg, unfillable))
    }
    if (unreadable.length > 0) {
      if (appendix.added.length > 0) ctx.output(summary)
      throw new UserError(
        describeUnreadable(cfg.to, unreadable),
        'write each as KEY=value (or delete the line): devsetup never adds a second definition of a key',
      )
    }
    // A forced run over a complete file wrote nothing: no change, so nothing restarts for it.
    return { summary, ...(appendix.added.length + count(empty, fillable) === 0 && { changed: false }) }
  },
})

type Config = z.output<typeof schema>

/**
 * The example and the target read, and the keys the target lacks, split in two: `missing`
 * can be appended, `unreadable` must not be (a raw line seems to define it: see guard.ts).
 * `target` is undefined when the file does not exist, `example` likewise; check and run
 * word a missing example differently, so that error is left to them.
 */
type Loaded =
  | { example: undefined }
  | { example: EnvFile; target: undefined }
  | { example: EnvFile; target: EnvFile; missing: string[]; unreadable: UnreadableDefinition[] }

/** `onExample` runs before the target is read, so run's warnings come out even if that read fails. */
/** Where the step works: the repository (files must stay inside it) and the step's folder. */
interface Place {
  root: string
  cwd: string
}

async function load(
  cfg: Config,
  { root, cwd }: Place,
  onExample?: (example: EnvFile) => void,
): Promise<Loaded> {
  // Outside the repository (through a link) or in .git (its config, its hooks): refused.
  assertFileInside(root, cwd, cfg.from, 'from')
  assertFileInside(root, cwd, cfg.to, 'to')
  const example = await readEnvFile(cwd, cfg.from)
  if (!example) return { example }
  onExample?.(example)
  const target = await readEnvFile(cwd, cfg.to)
  if (!target) return { example, target }
  const absent = missingKeys(target.parsed, example.parsed, cfg.extra)
  const unreadable = unreadableDefinitions(target.text, absent)
  const skip = new Set(unreadable.map((u) => u.key))
  return { example, target, missing: absent.filter((key) => !skip.has(key)), unreadable }
}

async function checkFiles(cfg: Config, place: Place): Promise<CheckResult> {
  const loaded = await load(cfg, place)
  if (!loaded.example) {
    return {
      met: false,
      reason: `${cfg.from} not found`,
      fix: `add ${cfg.from} to the repository, or point \`from:\` at the example file`,
    }
  }
  const sourceless = requiredWithoutSource(cfg, loaded.example.parsed)
  if (sourceless.length > 0)
    return { met: false, reason: describeWithoutSource(cfg, sourceless), fix: sourcelessFix(sourceless) }
  const required = requiredKeys(loaded.example.parsed, cfg.extra)
  if (!loaded.target)
    return {
      met: false,
      reason: `${cfg.to} missing (${plural(required.length, 'key')} to set)`,
      fix: `cp ${cfg.from} ${cfg.to}${cfg.generate?.length ? `, then set ${listKeys(cfg.generate)} to random values` : ''}`,
    }
  const { missing, unreadable } = loaded
  if (unreadable.length > 0) {
    return {
      met: false,
      reason: describeUnreadable(cfg.to, unreadable),
      fix: 'write each as KEY=value, or delete the line',
    }
  }
  if (missing.length > 0)
    return {
      met: false,
      reason: `${cfg.to} lacks ${listKeys(missing)}`,
      fix: `add ${listKeys(missing)} to ${cfg.to} (${cfg.from} shows ${missing.length === 1 ? 'it' : 'them'})`,
    }
  const empty = emptyKeys(loaded.target.parsed, cfg.generate)
  if (empty.length > 0)
    return {
      met: false,
      reason: `${cfg.to} has an empty ${listKeys(empty)}, which \`generate:\` fills`,
      fix: `set ${listKeys(empty)} in ${cfg.to} to a random value, e.g. \`openssl rand -hex 32\``,
    }
  const emptied = emptyRequired(cfg, loaded.example.parsed, loaded.target.parsed)
  if (emptied.length > 0)
    return { met: false, reason: describeEmptyRequired(cfg, emptied), fix: fixEmptyRequired(cfg, emptied) }
  return {
    met: true,
    reason: `${cfg.to} has all ${plural(required.length, 'key')} of ${cfg.from}${keptValues(cfg, loaded.target)}`,
  }
}

/** `set:` keys whose existing value differs: a person's value is kept, and the reason says so. */
function keptValues(cfg: Config, target: EnvFile): string {
  const current = new Map(target.parsed.entries.map((e) => [e.key, e.value]))
  const differing = Object.entries(cfg.set).filter(
    ([key, value]) => current.has(key) && current.get(key) !== value,
  )
  if (differing.length === 0) return ''
  const shown = differing.map(([key, value]) => `${key}=${current.get(key)} (recipe: ${value})`)
  return `; kept your ${shown.join(', ')}`
}

const count = (...lists: readonly unknown[][]) => lists.reduce((n, list) => n + list.length, 0)

const sourcelessFix = (keys: readonly string[]) =>
  `remove ${keys.join(', ')} from \`required:\`, or give ${keys.length === 1 ? 'it' : 'each'} a value under \`set:\``

function listKeys(keys: readonly string[], max = 6): string {
  if (keys.length <= max) return keys.join(', ')
  return `${keys.slice(0, max).join(', ')} and ${keys.length - max} more`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function generatedNote(generated: readonly string[]): string {
  return generated.length > 0 ? `; generated ${generated.join(', ')}` : ''
}
