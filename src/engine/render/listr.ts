// TTY: listr2's default renderer. The engine drives the steps; each listr2 task only
// waits for its step's events and mirrors them (title, live output line, outcome).
import chalk from 'chalk'
import { DefaultRenderer, Listr, type ListrDefaultRendererTask, type ListrTask } from 'listr2'
import type { Recipe, StepNode } from '../../recipe/types.js'
import type { EngineEvents, StepOutcome, SubtaskEvent } from '../events.js'
import { commandLine, diagnosisLine, durationLabel, elapsedLabel, statusLabel, symbol } from './format.js'

/** How many of a running command's last lines the tree shows (all of them with --verbose). */
export const liveWindow = 5
/** A running step shows its elapsed time once it has run this long. */
const elapsedAfterMs = 2000

interface Mirror {
  ended: Promise<StepOutcome>
  resolve: (outcome: StepOutcome) => void
  onOutput?: (line: string) => void
  onRun?: (reason: string) => void
  onSubtask?: (subtask: SubtaskEvent) => void
  /** Events from before listr2 started the step's task (its modules may still be loading). */
  early: ((m: Mirror) => void)[]
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
      entry = { ended, resolve, early: [] }
      mirrors.set(id, entry)
    }
    return entry
  }
  events.on('step:end', (step, outcome) => mirror(step.id).resolve(outcome))
  // Late failures come after every step's task has ended (settle.ts), and a task listr2 has
  // closed is never drawn again: they are drawn as lines of their own under the tree.
  const late: [StepNode, StepOutcome][] = []
  events.on('step:late', (step, outcome) => late.push([step, outcome]))
  const runEnded = new Promise<void>((resolve) => events.once('run:end', resolve))
  // Until the step's task is drawing (onRun is set with the others), events wait in `early`.
  const deliver = (id: string, event: (m: Mirror) => void) => {
    const m = mirror(id)
    if (m.onRun) event(m)
    else m.early.push(event)
  }
  events.on('step:output', (step, line) => deliver(step.id, (m) => m.onOutput?.(line)))
  events.on('step:run', (step, reason) => deliver(step.id, (m) => m.onRun?.(reason)))
  events.on('step:subtask', (step, subtask) => deliver(step.id, (m) => m.onSubtask?.(subtask)))

  // A task that ends without error is drawn by listr2 with a green tick; a step a dry run would run
  // is not met, so its task (and its parallel group's) gets the same mark as in the plain lines.
  const wouldRun = new Set<string>()
  // listr2 types `subtasks` as always there; a task without any has none until it makes some.
  const predicted = (task: ListrDefaultRendererTask): boolean =>
    wouldRun.has(task.id) || (task.subtasks ?? []).some(predicted)
  class StepTreeRenderer extends DefaultRenderer {
    protected override style(task: ListrDefaultRendererTask, output = false): string {
      if (!output && task.isCompleted() && predicted(task)) return symbol('would-run')
      return super.style(task, output)
    }
  }

  const stepTask = (step: StepNode): ListrTask => ({
    title: step.title,
    // --verbose keeps every output line under its step; otherwise a small window of the last
    // lines follows the command, so a chatty step never pushes its own title off the screen.
    // listr2 keeps every assignment to task.output up to outputBar; each one here is the whole
    // window, so only the newest may be drawn.
    rendererOptions: { outputBar: 1, persistentOutput: verbose },
    task: async (_ctx, task) => {
      const m = mirror(step.id)
      // Subtasks are drawn as lines under the step, above the live line of command output.
      const subtasks = new Map<string, string>()
      const lines: string[] = []
      const redraw = () => {
        task.output = [...subtasks.values(), ...lines].filter(Boolean).join('\n')
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
      // A silent long step still shows it is alive: its elapsed time, once it passes a moment.
      let ticker: NodeJS.Timeout | undefined
      m.onRun = (reason) => {
        const running = `${step.title} ${chalk.dim(`— running: ${reason}`)}`
        const started = Date.now()
        task.title = running
        ticker = setInterval(() => {
          const elapsed = Date.now() - started
          if (elapsed >= elapsedAfterMs) task.title = `${running} ${chalk.dim(`(${elapsedLabel(elapsed)})`)}`
        }, 1000)
        ticker.unref()
      }
      m.onOutput = (line) => {
        if (!line.trim()) return
        lines.push(chalk.dim(line))
        if (!verbose && lines.length > liveWindow) lines.splice(0, lines.length - liveWindow)
        redraw()
      }
      for (const event of m.early.splice(0)) event(m)
      const outcome = await m.ended
      clearInterval(ticker)
      const text = `${step.title} — ${statusLabel(outcome)}${durationLabel(outcome.durationMs)}`
      if (outcome.status === 'skipped' || outcome.status === 'not-run' || outcome.status === 'interrupted')
        return task.skip(text)
      if (outcome.status === 'failed') throw new Error([text, ...diagnosisLine(outcome)].join('\n'))
      if (outcome.status === 'would-run') wouldRun.add(task.task.id)
      task.title = [text, ...(outcome.commands ?? []).map((c) => chalk.dim(commandLine(c)))].join('\n')
    },
  })

  // No title: nothing is drawn while it waits for the end of the run (the settles), then a
  // failed line per late failure: "✖ Database — failed: after the restart, table apps is still gone …".
  const lateTask: ListrTask = {
    task: async (_ctx, task) => {
      await runEnded
      return task.newListr(
        late.map(([step, outcome]) => ({
          title: step.title,
          task: (_ctx, sub) => {
            const text = `${step.title} — ${statusLabel(outcome)}`
            // An optional step's is a warning, drawn as a warned step's line is (not thrown).
            if (outcome.status !== 'failed') sub.title = text
            else throw new Error(text)
          },
        })),
        { concurrent: false, exitOnError: false },
      )
    },
  }
  const tasks: ListrTask[] = recipe.items.map((item) =>
    item.kind === 'step'
      ? stepTask(item)
      : {
          title: item.title,
          task: (_ctx, task) =>
            task.newListr(item.steps.map(stepTask), { concurrent: true, exitOnError: false }),
        },
  )
  const list = new Listr([...tasks, lateTask], {
    renderer: StepTreeRenderer,
    concurrent: false,
    exitOnError: false,
    // devsetup handles Ctrl-C itself: it must kill commands and save state first.
    registerSignalListeners: false,
    rendererOptions: { collapseSubtasks: false, collapseSkips: true, collapseErrors: true },
  })
  return list.run()
}
