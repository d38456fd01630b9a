// A second step that sets up the same thing as an earlier one (`runtime: node` twice in one
// folder, two installs of one folder by one manager, one database twice) is nearly always a
// recipe grown by copy and paste or by `devsetup add`: it runs twice, and the two may disagree.
import path from 'node:path'
import type { StepNode } from './types.js'

const inFolder = (folder: string) => (folder === '.' ? 'in the repository root' : `in \`${folder}\``)

/** What a step sets up, as a phrase; undefined for step types where two alike are normal. */
function subjectOf(step: StepNode): string | undefined {
  const folder = path.normalize(step.options.cwd ?? '.')
  const config = step.config as Record<string, unknown>
  if (step.type === 'runtime') return `\`runtime: ${String(config.name)}\` ${inFolder(folder)}`
  if (step.type === 'dependencies') {
    const installs = path.normalize(path.join(folder, String(config.cwd ?? '.')))
    return `\`dependencies\`${config.manager ? ` (${String(config.manager)})` : ''} ${inFolder(installs)}`
  }
  if (step.type === 'database') {
    const target = config.target as Record<string, unknown>
    if (target.engine === 'sqlite')
      return `\`database\` sqlite:${path.normalize(path.join(folder, String(target.file)))}`
    return `\`database\` ${String(target.name)} on ${String(target.engine)}://${String(target.host)}:${String(target.port)}`
  }
  return undefined
}

/** One warning per step that repeats an earlier step's subject, as `file:line:col: step `id`: …`. */
export function duplicateWarnings(file: string, steps: readonly StepNode[]): string[] {
  const first = new Map<string, StepNode>()
  const warnings: string[] = []
  for (const step of steps) {
    const subject = subjectOf(step)
    if (subject === undefined) continue
    const earlier = first.get(subject)
    if (!earlier) {
      first.set(subject, step)
      continue
    }
    const fix =
      step.type === 'database' ? 'remove one of them' : 'remove one of them, or give them different `cwd`'
    warnings.push(
      `${file}:${step.position.line}:${step.position.col}: step \`${step.id}\`: sets up what step \`${earlier.id}\` (line ${earlier.position.line}) already does: ${subject}; ${fix}`,
    )
  }
  return warnings
}
