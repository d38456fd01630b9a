// `devsetup list`: the steps in order, with ids, types and conditions.
import chalk from 'chalk'
import { platformName } from '../engine/conditions.js'
import { escapeControls } from '../engine/render/controls.js'
import { ExitCode as Exit, type ExitCode } from '../errors.js'
import { findRecipe, loadRecipe } from '../recipe/load.js'
import type { Condition, StepNode } from '../recipe/types.js'
import { type CommonOptions, type Output, processOutput } from './options.js'

export async function list(options: CommonOptions): Promise<ExitCode> {
  const output: Output = options.output ?? processOutput
  const recipe = await loadRecipe(findRecipe(options.cwd, options.recipe), options.env ?? process.env)
  const rows: { id: string; type: string; title: string; when: string; group?: string }[] = []
  for (const item of recipe.items) {
    if (item.kind === 'parallel') {
      for (const step of item.steps) rows.push({ ...row(step), group: item.id })
    } else {
      rows.push(row(item))
    }
  }
  if (options.json) {
    for (const r of rows) output.out(JSON.stringify(r))
    return Exit.ok
  }
  const idWidth = Math.max(2, ...rows.map((r) => r.id.length + (r.group ? 2 : 0)))
  const typeWidth = Math.max(4, ...rows.map((r) => r.type.length))
  output.out(chalk.dim(`${'ID'.padEnd(idWidth)}  ${'TYPE'.padEnd(typeWidth)}  TITLE`))
  let group: string | undefined
  for (const r of rows) {
    if (r.group && r.group !== group) output.out(chalk.dim(`${r.group} (in parallel):`))
    group = r.group
    const id = (r.group ? `  ${r.id}` : r.id).padEnd(idWidth)
    output.out(`${id}  ${r.type.padEnd(typeWidth)}  ${r.title}${r.when ? chalk.dim(`  [${r.when}]`) : ''}`)
  }
  return Exit.ok
}

function row(step: StepNode) {
  const when = [describeCondition(step.options.if), step.options.optional ? 'optional' : '']
    .filter(Boolean)
    .join('; ')
  // A condition quotes the recipe (an env value, a file name): shown escaped, as the title is.
  return { id: step.id, type: step.type, title: step.title, when: escapeControls(when) }
}

function describeCondition(c: Condition | undefined): string {
  if (!c) return ''
  const parts: string[] = []
  if (c.platform) parts.push(`platform ${c.platform.map(platformName).join('|')}`)
  if (c.arch) parts.push(`arch ${c.arch.join('|')}`)
  for (const [name, value] of Object.entries(c.env ?? {}))
    parts.push(value === true ? `$${name} set` : `$${name}=${value}`)
  if (c.ci !== undefined) parts.push(c.ci ? 'on CI' : 'not on CI')
  for (const file of c.exists ?? []) parts.push(`${file} exists`)
  return `if ${parts.join(', ')}`
}
