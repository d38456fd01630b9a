// TTY: listr2's default renderer. The engine drives the steps; each listr2 task only
// waits for its step's events and mirrors them (title, live output line, outcome).
import chalk from 'chalk'
import { Listr, type ListrTask } from 'listr2'
import type { Recipe, StepNode } from '../../recipe/types.js'
import type { EngineEvents, StepOutcome, SubtaskEvent } from '../events.js'
import { durationLabel, statusLabel } from './format.js'

interface Mirror {
  ended: Promise<StepOutcome>
  resolve: (outcome: StepOutcome) => void
  onOutput?: (line: string) => void
  onRun?: (reason: string) => void
  onSubtask?: (subtask: SubtaskEvent) => void
}

/** Starts rendering; the returned promise settles when every step has ended. */
export function runListrRenderer(recipe: Recipe, events: EngineEvents, verbose = false): Promise<unknown> {
  const mirrors = new Map<string, Mirror>()
  const mirror = (id: string): Mirror => {
    let entry = mirrors.get(id)
    if (!entry) {
      let resolve!: (outcome: StepOutcome) => void
      const ended = new Promise<StepOutcome>((r) => {
        resolve = r
      })
      entry = { ended, resolve }
      mirrors.set(id, entry)
    }
    return entry
  }
  events.on('step:end', (step, outcome) => mirror(step.id).resolve(outcome))
  events.on('step:output', (step, line) => mirror(step.id).onOutput?.(line))
  events.on('step:run', (step, reason) => mirror(step.id).onRun?.(reason))
  events.on('step:subtask', (step, subtask) => mirror(step.id).onSubtask?.(subtask))

  const stepTask = (step: StepNode): ListrTask => ({
    title: step.title,
    // --verbose keeps every output line under its step; otherwise only the live last one is shown.
    rendererOptions: { outputBar: Number.POSITIVE_INFINITY, persistentOutput: verbose },
    task: async (_ctx, task) => {
      const m = mirror(step.id)
      // Subtasks are drawn as lines under the step, above the live line of command output.
      const subtasks = new Map<string, string>()
      let lastLine = ''
      const redraw = () => {
        task.output = [...subtasks.values(), lastLine].filter(Boolean).join('\n')
      }
      m.onSubtask = (sub) => {
        const mark =
          sub.status === 'running'
            ? chalk.cyan('›')
            : sub.status === 'done'
              ? chalk.green('✔')
              : chalk.red('✖')
        subtasks.set(sub.title, `${mark} ${sub.title}${sub.reason ? chalk.dim(` — ${sub.reason}`) : ''}`)
        redraw()
      }
      m.onRun = (reason) => {
        task.title = `${step.title} ${chalk.dim(`— running: ${reason}`)}`
      }
      const lines: string[] = []
      m.onOutput = (line) => {
        if (!line.trim()) return
        if (verbose) lines.push(chalk.dim(line))
        lastLine = verbose ? lines.join('\n') : chalk.dim(line)
        redraw()
      }
      const outcome = await m.ended
      const text = `${step.title} — ${statusLabel(outcome)}${durationLabel(outcome.durationMs)}`
      if (outcome.status === 'skipped' || outcome.status === 'not-run') return task.skip(text)
      if (outcome.status === 'failed') throw new Error(text)
      task.title = text
    },
  })

  const tasks: ListrTask[] = recipe.items.map((item) =>
    item.kind === 'step'
      ? stepTask(item)
      : {
          title: item.title,
          task: (_ctx, task) =>
            task.newListr(item.steps.map(stepTask), { concurrent: true, exitOnError: false }),
        },
  )
  const list = new Listr(tasks, {
    concurrent: false,
    exitOnError: false,
    // devsetup handles Ctrl-C itself: it must kill commands and save state first.
    registerSignalListeners: false,
    rendererOptions: { collapseSubtasks: false, collapseSkips: true, collapseErrors: true },
  })
  return list.run()
}
