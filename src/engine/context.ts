// Builds what a step type's check and run receive: cwd, env, exec, state, signal.
import path from 'node:path'
import type { StepNode } from '../recipe/types.js'
import type { CheckContext, CheckResult, RunContext, StepStore } from '../steps/define.js'
import { assertInsideRepository, outsideRepository } from './confine.js'
import type { SubtaskEvent } from './events.js'
import { createExec } from './exec.js'
import { maskSecrets } from './mask.js'
import type { RunLog } from './run-log.js'
import { withShims } from './shims.js'

export interface RunScope {
  root: string
  /** Process env + recipe env: the base every step starts from. */
  baseEnv: Record<string, string>
  /** Variables set by earlier steps of this run (a runtime's refreshed PATH). */
  runEnv: Record<string, string>
  /** yarn/pnpm shim folders by step folder (shims.ts): first on the PATH of its steps. */
  shims: ReadonlyMap<string, string>
  log: RunLog | undefined
  changes: (step: StepNode) => CheckContext['changes']
  markHandled: (step: StepNode) => void
  /** `--force`: a step may take it as the developer's word for something it otherwise refuses. */
  forced?: boolean
}

export function stepEnv(scope: RunScope, step: StepNode): Record<string, string> {
  const env = { ...scope.baseEnv, ...scope.runEnv, ...step.options.env }
  // `env: { PATH: ./bin:${PATH} }` was filled in from the PATH devsetup started with; a runtime
  // step may have put a new version first since then, and this step must see that too.
  const startPath = scope.baseEnv.PATH
  const runPath = scope.runEnv.PATH
  const ownPath = step.options.env.PATH
  if (ownPath && runPath && startPath && ownPath.includes(startPath))
    env.PATH = ownPath.replace(startPath, runPath)
  return withShims(env, scope.shims.get(path.resolve(scope.root, step.options.cwd ?? '.')))
}

/** `signal` may be a function that makes it: then it is made once, when first asked for. */
export function checkContext(
  scope: RunScope,
  step: StepNode,
  state: StepStore,
  signal: AbortSignal | (() => AbortSignal),
  phase: CheckContext['phase'] = 'check',
): CheckContext {
  const cwd = path.resolve(scope.root, step.options.cwd ?? '.')
  let made = typeof signal === 'function' ? undefined : signal
  const signalOf = () => {
    made ??= (signal as () => AbortSignal)()
    return made
  }
  // Asked only by steps that react to changes (restart, when_changed); computing it for every
  // check made a 1,000-step no-op quadratic.
  let changes: CheckContext['changes'] | undefined
  let env: Record<string, string> | undefined
  return {
    get changes() {
      changes ??= scope.changes(step)
      return changes
    },
    // Also on demand: most checks never look at the environment, and a copy of it per step
    // was most of a 1,000-step no-op's garbage.
    get env() {
      env ??= stepEnv(scope, step)
      return env
    },
    root: scope.root,
    cwd,
    stepId: step.id,
    phase,
    state,
    get signal() {
      return signalOf()
    },
    exec: createExec({
      root: scope.root,
      cwd,
      env: () => stepEnv(scope, step),
      get signal() {
        return signalOf()
      },
      log: (text) => scope.log?.write(`${step.id}:check`, text),
    }),
  }
}

/**
 * The last command a run started and the last lines it printed. A failure that is not a
 * command's own ("ran but still unmet: out.txt missing") is reported with them, so the
 * developer sees what ran and what it said without opening the log.
 */
export interface RunTrace {
  command?: string
  tail: string[]
}

const traceLines = 20

export function runContext(
  scope: RunScope,
  step: StepNode,
  state: StepStore,
  signal: AbortSignal,
  onLine: (line: string) => void,
  onSubtask: (event: SubtaskEvent) => void,
  trace: RunTrace = { tail: [] },
): RunContext {
  const base = checkContext(scope, step, state, signal)
  const line = (text: string) => {
    trace.tail.push(text)
    if (trace.tail.length > traceLines) trace.tail.shift()
    onLine(text)
  }
  assertInsideRepository(scope.root, base.cwd)
  const exec = createExec({
    root: scope.root,
    cwd: base.cwd,
    env: () => stepEnv(scope, step),
    signal,
    onLine: line,
    log: (text) => scope.log?.write(step.id, text),
  })
  return {
    ...base,
    forced: scope.forced === true,
    exec: (command, options) => {
      trace.command = maskSecrets(typeof command === 'string' ? command : command.join(' '))
      trace.tail.length = 0
      return exec(command, options)
    },
    output: (text) => {
      scope.log?.write(step.id, text)
      line(text)
    },
    setEnv: (vars) => {
      Object.assign(scope.runEnv, vars)
    },
    subtask: async (title, fn) => {
      scope.log?.write(step.id, `-- ${title}`)
      onSubtask({ title, status: 'running' })
      try {
        const result = await fn()
        onSubtask({ title, status: 'done' })
        return result
      } catch (error) {
        onSubtask({ title, status: 'failed', reason: (error as Error).message })
        throw error
      }
    },
  }
}

/** A check never throws: an error while checking means "not met", with the error as the reason. */
export async function safeCheck(step: StepNode, ctx: CheckContext): Promise<CheckResult> {
  const outside = outsideRepository(ctx.root, ctx.cwd)
  if (outside) return { met: false, reason: outside }
  try {
    return await step.stepType.check(step.config, ctx)
  } catch (error) {
    return { met: false, reason: `check failed: ${(error as Error).message}` }
  }
}

/** process.env without undefined values, as child processes want it. */
export function definedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))
}
