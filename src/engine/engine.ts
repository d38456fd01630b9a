// The converge loop. Every check starts at once (checks are read-only); steps are then
// walked in order. A prefetched check is trusted while no earlier step has changed
// anything in this run, and repeated otherwise. Unmet steps run, then are checked again:
// a step still unmet after running has failed.
import path from 'node:path'
import type { Recipe, StepNode } from '../recipe/types.js'
import type { CheckResult } from '../steps/define.js'
import { changeTracker, noChanges } from './changes.js'
import { CheckSignals } from './check-signals.js'
import { type Platform, skipReason } from './conditions.js'
import { checkContext, definedEnv, type RunScope, safeCheck } from './context.js'
import type { EngineEvents, StepOutcome } from './events.js'
import { LeftOutChecks } from './left-out.js'
import { maskOutcome, shownText } from './mask.js'
import type { RunLog } from './run-log.js'
import { runWithRetries } from './run-step.js'
import { leftOutBefore, type Selection, selector } from './select.js'
import { lateOutcome, settleSteps } from './settle.js'
import { prepareShims } from './shims.js'
import type { StateStore } from './state.js'

/** Steps that react to other steps' changes: handlers (`restart`) and `when_changed:` steps. */
const reacts = (step: StepNode) => step.stepType.handler === true || step.options.whenChanged !== undefined

export interface EngineOptions {
  recipe: Recipe
  mode: 'up' | 'doctor'
  selection: Selection
  force: boolean
  dryRun: boolean
  signal: AbortSignal
  state: StateStore
  log: RunLog | undefined
  events: EngineEvents
  env: NodeJS.ProcessEnv
  host?: Platform
}

export interface EngineResult {
  outcomes: Map<string, StepOutcome>
  failed: boolean
  interrupted: boolean
  durationMs: number
}

export async function runEngine(options: EngineOptions): Promise<EngineResult> {
  const { recipe, state, events, signal } = options
  const started = Date.now()
  const host = options.host ?? { platform: process.platform, arch: process.arch, env: options.env }
  const isSelected = selector(recipe, options.selection)
  const leftOut = new LeftOutChecks(leftOutBefore(recipe, options.selection))
  const changedThisRun: string[] = []
  const seqAtStart = state.changeSeq
  // Handlers that have just run: their verify check must see the changes as handled.
  const handled = new Set<string>()
  const scope: RunScope = {
    root: recipe.root,
    baseEnv: { ...definedEnv(options.env), ...recipe.env },
    runEnv: {},
    shims: new Map(),
    log: options.log,
    changes: (step) => (handled.has(step.id) ? noChanges : tracker.changesFor(step)),
    markHandled: (step) => handled.add(step.id),
    forced: options.force,
  }
  const steps = recipe.items.flatMap((item) => (item.kind === 'parallel' ? item.steps : [item]))
  const write = options.mode === 'up' && !options.dryRun
  const shims = await prepareShims(steps, recipe.root, scope.baseEnv, path.dirname(state.file), write)
  scope.shims = shims.folders
  const tracker = changeTracker(steps, state, seqAtStart, changedThisRun, options.dryRun)
  for (const step of steps) {
    // A handler seen for the first time starts from now: only changes from here on are its to handle.
    if (reacts(step)) state.record(step.id).handledSeq ??= seqAtStart
  }

  // A check is bounded by the step's timeout, and stopped once nobody needs its answer
  // (a fresh check replaced it, or the run ended early): see check-signals.ts.
  const checkSignals = new CheckSignals(signal)
  const check = (step: StepNode): Promise<CheckResult> => {
    const checkSignal = checkSignals.fresh(step.id, step.options.timeoutMs)
    return safeCheck(step, checkContext(scope, step, state.draft(step.id), checkSignal))
  }
  const conditionSkip = (step: StepNode) => skipReason(step.options.if, recipe.root, host)
  const skippedAtStart = new Map<string, string>()
  const prefetched = new Map<string, Promise<CheckResult>>()
  for (const step of steps) {
    const condition = conditionSkip(step)
    const why = isSelected(step.id) ?? condition
    if (why) skippedAtStart.set(step.id, why)
    if (!why || (leftOut.wanted(step) && !condition)) prefetched.set(step.id, check(step))
  }

  const outcomes = new Map<string, StepOutcome>()
  // A reacting step's mark before this run moved it: a late failure puts it back (pending again).
  const handledBefore = new Map<string, number | undefined>()
  let stopReason: string | undefined
  const finish = (step: StepNode, shown: StepOutcome) => {
    const outcome = maskOutcome(leftOut.annotate(step, shown))
    outcomes.set(step.id, outcome)
    if (outcome.status === 'interrupted') stopReason ??= 'interrupted'
    if (outcome.status === 'failed') stopReason ??= signal.aborted ? 'interrupted' : 'an earlier step failed'
    if (
      options.mode === 'up' &&
      !options.dryRun &&
      outcome.status !== 'skipped' &&
      outcome.status !== 'not-run'
    ) {
      const record = state.record(step.id)
      record.lastStatus = outcome.status
      record.lastRunAt = new Date().toISOString()
      record.durationMs = Math.round(outcome.durationMs)
      if (reacts(step) && (outcome.status === 'ok' || outcome.status === 'changed')) {
        handledBefore.set(step.id, record.handledSeq)
        record.handledSeq = state.changeSeq
      }
      // What a step changed must survive a crash of a later step; an `ok` waits for the final save.
      if (outcome.status !== 'ok') state.save()
    }
    events.emit('step:end', step, outcome)
  }

  // A met step may hand later steps variables (a PATH); their prefetched checks saw the old ones.
  let envProvided = false
  const provideEnv = (env: Record<string, string> | undefined) => {
    if (!env || Object.keys(env).length === 0) return
    Object.assign(scope.runEnv, env)
    envProvided = true
  }

  const converge = async (step: StepNode, changedBefore: boolean): Promise<void> => {
    // hrtime, not performance.now(): the first use of the `performance` global loads perf_hooks.
    const t0 = process.hrtime.bigint()
    const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e6
    if (stopReason || signal.aborted) {
      return finish(step, {
        status: 'not-run',
        reason: `not run: ${stopReason ?? 'interrupted'}`,
        durationMs: 0,
      })
    }
    // After a change, conditions are asked again: an earlier step may have created what `if:` wants.
    const skipped = changedBefore ? (isSelected(step.id) ?? conditionSkip(step)) : skippedAtStart.get(step.id)
    // A step --only leaves out is checked, never run, when it may hand the selected ones something.
    const forEnv =
      skipped !== undefined &&
      leftOut.wanted(step) &&
      (changedBefore ? !conditionSkip(step) : prefetched.has(step.id))
    if (skipped && !forEnv) return finish(step, { status: 'skipped', reason: skipped, durationMs: 0 })

    const checked = changedBefore ? await check(step) : await prefetched.get(step.id)!
    if (signal.aborted)
      return finish(step, { status: 'not-run', reason: 'not run: interrupted', durationMs: 0 })
    if (skipped) {
      const reason = leftOut.skipped(step, skipped, checked, provideEnv)
      return finish(step, { status: 'skipped', reason, durationMs: elapsed() })
    }
    const before = tracker.whenChanged(step, checked, options.mode, outcomes)
    if (options.mode === 'doctor') {
      // What `up` would hand the later steps (a runtime's PATH), doctor's later checks must see too.
      if (before.met) provideEnv(before.env)
      const fix = before.fix ?? `devsetup up --only ${step.id}`
      return finish(
        step,
        before.met
          ? { status: 'ok', reason: before.reason, durationMs: elapsed() }
          : { status: 'unmet', reason: before.reason, fix, durationMs: elapsed() },
      )
    }
    if (before.met && !options.force) {
      provideEnv(before.env)
      return finish(step, { status: 'ok', reason: before.reason, durationMs: elapsed() })
    }
    const why = before.met ? 'forced (--force)' : before.reason
    if (options.dryRun) {
      // Predicted as a change, so the handlers after it (restart) say they would run too.
      changedThisRun.push(step.id)
      const commands = step.stepType.preview?.(step.config, before)
      return finish(step, {
        status: 'would-run',
        reason: why,
        durationMs: elapsed(),
        ...(commands && { commands }),
      })
    }
    events.emit('step:run', step, shownText(why))

    const outcome = await runWithRetries(step, why, scope, options)
    const { changes, ...ended } = outcome
    if (outcome.status === 'changed') {
      changedThisRun.push(step.id)
      if (!step.stepType.handler) state.noteChange(step.id, changes)
    }
    finish(step, { ...ended, durationMs: elapsed() })
  }

  for (const item of recipe.items) {
    const changedBefore = changedThisRun.length > 0 || envProvided
    if (item.kind === 'parallel') await Promise.all(item.steps.map((step) => converge(step, changedBefore)))
    else await converge(item, changedBefore)
    leftOut.endOfItem()
  }
  // A step its settle fails is recorded as any failed step is: its status in state.json and the
  // run log, and a handler's changes left pending, so the next run handles them again.
  const failLate = (step: StepNode, outcome: StepOutcome) => {
    outcomes.set(step.id, outcome)
    scope.log?.write(step.id, `${outcome.status} at the end of the run: ${outcome.reason}`)
    const record = state.record(step.id)
    record.lastStatus = outcome.status
    if (handledBefore.has(step.id)) record.handledSeq = handledBefore.get(step.id)
    state.save()
    events.emit('step:late', step, outcome)
  }
  checkSignals.abandonAll()
  if (options.mode === 'up' && !options.dryRun && !signal.aborted) {
    const verdicts = await settleSteps(steps, outcomes, scope, state, signal)
    for (const step of steps) {
      const verdict = verdicts.get(step.id)
      if (verdict) failLate(step, maskOutcome(lateOutcome(step, outcomes.get(step.id)!, verdict)))
    }
  }
  events.emit('run:end')
  shims.dispose()
  const failed = [...outcomes.values()].some((o) => o.status === 'failed' || o.status === 'unmet')
  return { outcomes, failed, interrupted: signal.aborted, durationMs: Date.now() - started }
}
