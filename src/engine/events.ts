// What the engine tells renderers. Renderers (listr2 tree, plain lines, NDJSON) only listen.
import { EventEmitter } from 'node:events'
import type { StepNode } from '../recipe/types.js'
import type { Diagnosis } from './diagnose/types.js'

export type StepStatus =
  | 'ok' // already met
  | 'changed' // ran and now met
  | 'failed'
  | 'warned' // optional and failed
  | 'skipped' // condition false or not selected
  | 'interrupted' // running when Ctrl-C (or SIGTERM) stopped the run: not a failure of the step
  | 'not-run' // an earlier step failed or the run was interrupted
  | 'would-run' // --dry-run
  | 'unmet' // doctor

export interface FailureDetail {
  command?: string
  exitCode?: number | undefined
  tail?: string[]
  /** Known causes found in the output, with their fix in the recipe's terms (diagnose.ts). */
  diagnosis?: Diagnosis[]
}

export interface StepOutcome {
  status: StepStatus
  reason: string
  durationMs: number
  /** doctor: the command that fixes an unmet step. */
  fix?: string
  failure?: FailureDetail
  /** --dry-run: what the step would run. */
  commands?: string[]
  /** Failed at the end of the run by its settle, after it had ended ok or changed (settle.ts). */
  late?: boolean
}

export interface EngineEventMap {
  /** The step's check is done and it is about to run (or, in dry-run, would). */
  'step:run': [step: StepNode, reason: string]
  'step:output': [step: StepNode, line: string]
  'step:retry': [step: StepNode, attempt: number, reason: string]
  'step:end': [step: StepNode, outcome: StepOutcome]
  'step:subtask': [step: StepNode, subtask: SubtaskEvent]
  /**
   * After every step ended: a step that ended ok or changed is failed by what its settle found
   * (a lost table the restart did not bring back). The outcome replaces the one of its step:end.
   */
  'step:late': [step: StepNode, outcome: StepOutcome]
  /** The run is over: no step event follows (the tree waits for it to draw late failures). */
  'run:end': []
}

export interface SubtaskEvent {
  title: string
  status: 'running' | 'done' | 'failed'
  /** The error message when failed. */
  reason?: string
}

export class EngineEvents extends EventEmitter<EngineEventMap> {}
