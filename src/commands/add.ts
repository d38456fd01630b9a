// `devsetup add <type> [key=value ...]`: add one step to the recipe, validated by the same
// loader as `validate`, keeping every other byte of the file. An invalid step is refused
// and the file is left as it was.
import { readFileSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import chalk from 'chalk'
import { isCI } from '../engine/conditions.js'
import { writeFileAtomic } from '../engine/write-atomic.js'
import { ExitCode as Exit, type ExitCode, RecipeError, UserError } from '../errors.js'
import { promptForStep } from '../init/prompt.js'
import { buildStep, configKeys } from '../init/step-args.js'
import { type Inserted, insertStep, type Placement } from '../recipe/edit.js'
import { idOwners, slugify, uniqueId } from '../recipe/ids.js'
import { findRecipe } from '../recipe/load.js'
import { firstRestartIndex } from '../recipe/order.js'
import { parseRecipe } from '../recipe/parse.js'
import { didYouMean } from '../recipe/suggest.js'
import { allSteps, type Recipe, type StepNode } from '../recipe/types.js'
import { stepTypes } from '../steps/index.js'
import { type Output, processOutput } from './options.js'

export interface AddOptions {
  cwd: string
  recipe?: string | undefined
  type: string
  /** key=value words, and at most one shorthand word. */
  settings: string[]
  name?: string | undefined
  id?: string | undefined
  before?: string | undefined
  after?: string | undefined
  json?: boolean | undefined
  env?: NodeJS.ProcessEnv
  output?: Output
  /** Ask for the keys when no settings are given (a TTY on both ends, decided by the caller). */
  interactive?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } | undefined
}

export async function add(options: AddOptions): Promise<ExitCode> {
  const output = options.output ?? processOutput
  const env = { ...process.env, ...options.env }
  const stepType = stepTypes.get(options.type)
  if (!stepType) {
    const names = [...stepTypes.keys()]
    throw new UserError(
      `unknown step type \`${options.type}\``,
      `${didYouMean(options.type, names)} (known step types: ${names.join(', ')})`,
    )
  }
  if (options.before && options.after) throw new UserError('give --before or --after, not both')
  const file = findRecipe(options.cwd, options.recipe)
  const raw = readFileSync(file, 'utf8')
  // A CRLF file is edited as LF and written back as CRLF, so the new lines match the old ones.
  const crlf = raw.includes('\r\n') && !/(^|[^\r])\n/.test(raw)
  const text = crlf ? raw.replace(/\r\n/g, '\n') : raw
  // The recipe must be valid before the step goes in, so every error shown is about the new step.
  const current = parseRecipe(file, text, env)
  const { placement, where } = placementOf(current, stepType.type, options.before, options.after)

  let { settings, name } = options
  // A type whose bare form is complete (`- dependencies` detects the rest) is written bare:
  // asking for its keys, each optional, would only lead to the same line after many Enters.
  const bare = stepType.form === 'nested' && stepType.schema.safeParse(undefined).success
  const asks = settings.length === 0 && name === undefined && !bare
  // CI=true in a terminal (a CI job with a pty) must never wait for an answer.
  if (options.interactive && !isCI(env) && asks) {
    const answers = await promptForStep(stepType, options.interactive)
    settings = answers.words
    name = answers.name
  }
  if (options.id !== undefined) {
    const owner = idOwners(current.items).find((item) => item.id === options.id)
    if (owner)
      throw new UserError(
        `id \`${options.id}\` is already used by step \`${owner.title}\` (line ${owner.position.line})`,
        'pick another --id (ids key the saved state in state.json)',
      )
  }
  const build = (id: string | undefined) => buildStep(stepType, { words: settings, name, id })
  const step = build(options.id)
  // Without its type key a flat step (`run`) would read as a step of an unknown type: say what is missing.
  if (stepType.form === 'flat' && !(stepType.type in (step as Record<string, unknown>)))
    throw new UserError(
      `a \`${stepType.type}\` step needs ${stepType.type}=...`,
      `e.g. devsetup add ${stepType.type} ${stepType.type}="npx husky" creates=.husky/_`,
    )
  let attempt = place(file, text, step, placement, env, current)
  // Derived ids depend on position, and state.json is keyed by id: a new step that would
  // shift an existing step's id gets an explicit one instead, so saved state stays with its step.
  if (!attempt.idsKept && options.id === undefined) {
    const base = name !== undefined ? slugify(name) : stepType.type
    const id = uniqueId(base, new Set(idOwners(current.items).map((item) => item.id)))
    attempt = place(file, text, build(id), placement, env, current)
  }
  if (!attempt.idsKept)
    throw new UserError(
      'the new step would change the id of an existing step',
      'give it a unique --id; the file was not changed',
    )
  const { inserted, updated, added } = attempt

  // Through a symlinked recipe to its target: renaming over the link would replace it with a copy.
  const target = realpathSync(file)
  const mode = statSync(target).mode & 0o777
  writeFileAtomic(target, crlf ? inserted.text.replace(/\n/g, '\r\n') : inserted.text, mode)

  const shown = path.relative(options.cwd, file) || file
  if (options.json) {
    const { id, type, title } = added
    output.out(JSON.stringify({ file, id, type, title, line: inserted.line, ...where?.json }))
    return Exit.ok
  }
  const placed = where ? `, ${where.text}` : ''
  output.out(
    `${chalk.green('✔')} added step \`${added.id}\` (${added.title}) to ${shown}:${inserted.line}${placed}`,
  )
  if (options.interactive && bare && settings.length === 0 && name === undefined) {
    const keys = configKeys(stepType).map((key) => key.name)
    output.out(
      chalk.dim(
        `  the bare form \`- ${stepType.type}\`; its optional keys (${keys.join(', ')}) go as key=value: devsetup add ${stepType.type} ${keys[0] ?? 'key'}=...`,
      ),
    )
  }
  for (const warning of updated.warnings.filter((w) => w.includes(`step \`${added.id}\``)))
    output.err(`${chalk.yellow('⚠')} ${warning}`)
  return Exit.ok
}

interface Attempt {
  inserted: Inserted
  updated: Recipe
  added: StepNode
  /** Every existing step and group keeps the id it had. */
  idsKept: boolean
}

/** The recipe with the step inserted, validated by the loader. */
function place(
  file: string,
  text: string,
  step: unknown,
  placement: Placement,
  env: NodeJS.ProcessEnv,
  current: Recipe,
): Attempt {
  const inserted = insertStep(text, step, placement)
  let updated: Recipe
  try {
    updated = parseRecipe(file, inserted.text, env)
  } catch (error) {
    if (!(error instanceof RecipeError)) throw error
    throw new RecipeError(`${error.file} (with the new step; not written)`, error.problems)
  }
  const added = allSteps(updated).find((s) => s.position.line === inserted.line)
  if (!added || allSteps(updated).length !== allSteps(current).length + 1)
    throw new UserError(`could not place the new step in ${file}`, 'add it by hand; the file was not changed')
  const before = idOwners(current.items).map((item) => item.id)
  const after = idOwners(updated.items)
    .filter((item) => item !== added)
    .map((item) => item.id)
  const idsKept = before.length === after.length && before.every((id, i) => id === after[i])
  return { inserted, updated, added, idsKept }
}

interface Where {
  placement: Placement
  /** Said after "added step …": where it went when that was not the end, nor what was asked. */
  where?: { text: string; json: { before: string } }
}

function placementOf(recipe: Recipe, type: string, before?: string, after?: string): Where {
  const id = before ?? after
  if (id === undefined) {
    // The `restart` reacts to the changes of the steps before it: a step appended after it
    // would change things only after the server restarted, and the restart would come a run late.
    const index = type === 'restart' ? -1 : firstRestartIndex(recipe.items)
    if (index === -1) return { placement: { kind: 'end' } }
    const restart = recipe.items[index]!.id
    return {
      placement: { kind: 'before', index },
      where: {
        text: `before \`${restart}\` (the restart its change calls for then comes in the same run)`,
        json: { before: restart },
      },
    }
  }
  const item = recipe.items.find((i) => i.id === id)
  if (!item) {
    const group = recipe.items.find((i) => i.kind === 'parallel' && i.steps.some((s) => s.id === id))
    if (group)
      throw new UserError(
        `step \`${id}\` is inside the parallel group \`${group.id}\``,
        `place it relative to \`${group.id}\``,
      )
    const ids = recipe.items.map((i) => i.id)
    throw new UserError(
      `no step with id \`${id}\``,
      `${didYouMean(id, ids)} (ids: ${ids.join(', ')}; see devsetup list)`,
    )
  }
  // A valid recipe has one item per entry of its `steps` list, in order.
  return { placement: { kind: before !== undefined ? 'before' : 'after', index: recipe.items.indexOf(item) } }
}
